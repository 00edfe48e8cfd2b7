package dev.pixels.pixelinfo;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.realtime.CommittedBatch;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The latest placement and the change count of every pixel, kept up to date as batches commit, so
 * that a pixel lookup, the heatmap and the virgin map never scan the log.
 *
 * <p>Two feeds fill it. Committed batches with seqs above {@code liveAfterSeq} (the seq the
 * pipeline started from) arrive through {@link #accept}; the history up to that seq arrives once,
 * from the store, through {@link #record} on a background thread ({@link IndexRebuild}). Each
 * change adds one to its pixel's count and replaces the pixel's latest placement only if its seq
 * is higher, so the two feeds may interleave in any order and still give the same index. Until the
 * history is in, {@link #isComplete()} is false.
 *
 * <p>Memory: 22 bytes per pixel in primitive arrays (seq 8, time 4, user 4, count 4, colour 1,
 * tool 1), 17.8 MB at 900×900 and 369 MB at the 4096×4096 maximum; plus one interned string per
 * distinct user among the latest placements. The user table is compacted whenever it reaches
 * {@code width * height + 65,536} entries, keeping only the users some pixel still shows, so it
 * never holds more than that many.
 *
 * <p>Concurrency: every read and write holds the monitor of this object. Writers are the
 * publishing thread (one at a time, in seq order) and the rebuild thread; readers are event loops
 * (one pixel, constant time) and the overlay encoder (one pass over the arrays).
 */
public final class PixelIndex {
  private static final int USER_SLACK = 65_536;
  private static final Tool[] TOOLS = Tool.values();

  /**
   * What the index holds about one pixel.
   *
   * @param changes how many logged changes touched the pixel, moderation repairs included
   * @param latest the latest of them, or null if the pixel was never painted
   */
  public record Info(int changes, Placement latest) {}

  /**
   * The latest change of a pixel.
   *
   * @param timeMillis when it was accepted, epoch milliseconds, to the second
   * @param userId null if the log holds none
   * @param tool null if the log names a tool this version does not know
   */
  public record Placement(long seq, long timeMillis, String userId, int color, Tool tool) {}

  private final int width;
  private final int height;
  private final long liveAfterSeq;
  private final long[] seq;
  private final int[] seconds;
  private final int[] user;
  private final int[] changes;
  private final byte[] color;
  private final byte[] tool;
  private final Map<String, Integer> userIds = new HashMap<>();
  private String[] users = new String[1024];
  private int userCount;
  private final int userCap;
  private boolean complete;

  /** An empty index of a {@code width × height} canvas whose live feed starts after {@code liveAfterSeq}. */
  public PixelIndex(int width, int height, long liveAfterSeq) {
    int pixels = Math.multiplyExact(width, height);
    this.width = width;
    this.height = height;
    this.liveAfterSeq = liveAfterSeq;
    this.seq = new long[pixels];
    this.seconds = new int[pixels];
    this.user = new int[pixels];
    this.changes = new int[pixels];
    this.color = new byte[pixels];
    this.tool = new byte[pixels];
    this.userCap = pixels + USER_SLACK;
    Arrays.fill(user, -1);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The highest seq the store's history must supply; the live feed brings the ones above it. */
  long liveAfterSeq() {
    return liveAfterSeq;
  }

  /** Takes a committed batch from the live feed. */
  public synchronized void accept(CommittedBatch batch) {
    for (PixelChange c : batch.changes()) {
      if (c.seq() > liveAfterSeq) {
        apply(c);
      }
    }
  }

  /** Takes a change from the store's history; changes above {@link #liveAfterSeq()} are the live feed's. */
  synchronized void record(PixelChange c) {
    if (c.seq() <= liveAfterSeq) {
      apply(c);
    }
  }

  /** Marks the history as fully read. */
  synchronized void completed() {
    complete = true;
  }

  /** True once the store's history is in: counts and the latest placements are then exact. */
  public synchronized boolean isComplete() {
    return complete;
  }

  /** What the index holds about pixel (x, y), which must be on the canvas. */
  public synchronized Info lookup(int x, int y) {
    int i = y * width + x;
    if (changes[i] == 0) {
      return new Info(0, null);
    }
    Placement latest = new Placement(seq[i], Integer.toUnsignedLong(seconds[i]) * 1000, user[i] < 0 ? null : users[user[i]],
        color[i] & 0xff, tool[i] < 0 ? null : TOOLS[tool[i]]);
    return new Info(changes[i], latest);
  }

  /**
   * Fills {@code out} (one byte per pixel, row-major) with {@code levels} heat levels of the
   * latest placement's age: 0 for a pixel not placed within {@code windowSeconds} before {@code
   * nowSeconds}, {@code levels} for one placed at that second, falling linearly to 1 at the edge of
   * the window.
   */
  synchronized void heat(byte[] out, long nowSeconds, long windowSeconds, int levels) {
    for (int i = 0; i < out.length; i++) {
      long age = nowSeconds - Integer.toUnsignedLong(seconds[i]);
      if (changes[i] == 0 || age >= windowSeconds) {
        out[i] = 0;
      } else {
        long clamped = Math.max(0, age);
        out[i] = (byte) (levels - (clamped * levels) / windowSeconds);
      }
    }
  }

  /** Fills {@code out} with 1 for every pixel never painted and 0 for the others. */
  synchronized void virgin(byte[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) (changes[i] == 0 ? 1 : 0);
    }
  }

  /** How many distinct users the table holds; for tests of its bound. */
  synchronized int internedUsers() {
    return userCount;
  }

  private void apply(PixelChange c) {
    if (c.x() < 0 || c.y() < 0 || c.x() >= width || c.y() >= height) {
      return;
    }
    int i = c.y() * width + c.x();
    if (changes[i] != Integer.MAX_VALUE) {
      changes[i]++;
    }
    if (c.seq() > seq[i]) {
      int u = c.userId() == null ? -1 : intern(c.userId());
      seq[i] = c.seq();
      seconds[i] = (int) Math.floorDiv(c.timestampMillis(), 1000L);
      user[i] = u;
      color[i] = (byte) c.color();
      tool[i] = (byte) (c.tool() == null ? -1 : c.tool().ordinal()); // a tool this version does not know
    }
  }

  private int intern(String id) {
    Integer known = userIds.get(id);
    if (known != null) {
      return known;
    }
    if (userCount == users.length) {
      if (users.length >= userCap) {
        compact();
      } else {
        users = Arrays.copyOf(users, (int) Math.min(userCap, users.length * 2L));
      }
    }
    userIds.put(id, userCount);
    users[userCount] = id;
    return userCount++;
  }

  /** Keeps only the users some pixel shows, renumbered; at most one per pixel remain. */
  private void compact() {
    int[] renumbered = new int[userCount];
    Arrays.fill(renumbered, -1);
    String[] kept = new String[users.length];
    int n = 0;
    userIds.clear();
    for (int i = 0; i < user.length; i++) {
      int u = user[i];
      if (u < 0) {
        continue;
      }
      if (renumbered[u] < 0) {
        renumbered[u] = n;
        kept[n] = users[u];
        userIds.put(users[u], n);
        n++;
      }
      user[i] = renumbered[u];
    }
    users = kept;
    userCount = n;
  }
}
