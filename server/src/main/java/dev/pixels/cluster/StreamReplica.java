package dev.pixels.cluster;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.CanvasSnapshot;
import dev.pixels.canvas.CommittedCanvas;
import dev.pixels.canvas.PixelChange;
import dev.pixels.realtime.Broadcaster;
import dev.pixels.realtime.CommittedBatch;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's copy of the shared canvas, kept by reading the Redis stream in seq order up to
 * the commit mark: it answers {@code GET /canvas} without a Redis read, feeds the local {@link
 * Broadcaster} one batch per interval, and then tells the intake how far the mark has come, which
 * acknowledges this instance's painters. Every instance applies the same entries in the same
 * order, so each shows the same bitmap and hash at the same seq.
 *
 * <p>It shows only what the log writer has stored: a pixel whose entry is sequenced but not yet
 * stored is neither broadcast nor served, so no crash (of an instance or of Redis) can take back
 * what a watcher saw. See docs/storage.md.
 *
 * <p>Concurrency: one thread, {@code pixels-stream-reader}, writes {@code canvas} under {@code
 * lock}; other threads copy it under the lock. {@code redisUp} is published for the health check.
 */
final class StreamReplica implements CommittedCanvas, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamReplica.class);
  private static final int MAX_ENTRIES_PER_READ = 10_000;
  /** The most changes a reload replays to spare clients a resync; a replica further behind resyncs them. */
  private static final int MAX_CATCH_UP = 100_000;

  private final RedisCanvas redis;
  private final CanvasBootstrap bootstrap;
  private final int width;
  private final int height;
  private final long intervalNanos;
  private final Duration reloadWait;
  private final Object lock = new Object();
  private final Thread thread;
  private Canvas canvas; // guarded by lock; replaced only by the reader thread
  private String epoch; // reader thread only, after load
  private String hash; // reader thread only, after load
  private Broadcaster broadcaster;
  private ClusterIntake intake;
  private boolean subscribed; // reader thread only
  private volatile boolean running = true;
  private volatile boolean redisUp = true;
  private volatile long seq;

  StreamReplica(RedisCanvas redis, CanvasBootstrap bootstrap, int width, int height, Duration interval,
      Duration reloadWait) {
    this.redis = redis;
    this.bootstrap = bootstrap;
    this.width = width;
    this.height = height;
    this.intervalNanos = interval.toNanos();
    this.reloadWait = reloadWait;
    this.thread = new Thread(this::run, "pixels-stream-reader");
    thread.setDaemon(true); // stop does not wait past its deadline for a read that hangs
  }

  /**
   * Loads the shared canvas, waiting up to {@code wait} for Redis to answer and hold one (rebuilding
   * it here if nobody else does); call before {@link #start}. If Redis cannot give one in time, the
   * replica starts from the store's canvas and reports Redis down, and the reader thread goes on
   * trying, so an instance started during a Redis outage or rebuild serves what it can and joins
   * when Redis is back.
   */
  void loadAtStart(Duration wait) {
    try {
      load(wait);
    } catch (RedisException | CanvasNotReadyException e) {
      log.warn("redis gives no shared canvas yet ({}); serving the stored canvas and retrying", e.toString());
      Canvas stored = bootstrap.storedCanvas();
      synchronized (lock) {
        canvas = stored;
      }
      epoch = null; // no epoch matches: the first read that reaches Redis loads its canvas
      hash = stored.sha256Hex();
      seq = stored.seq();
      redisUp = false;
    }
  }

  /** Redis answers but holds no canvas to load (another instance's rebuild is still running, or it was just lost). */
  static final class CanvasNotReadyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    CanvasNotReadyException(String message) {
      super(message);
    }
  }

  private void load(Duration wait) {
    if (!bootstrap.ensureCanvas(wait)) {
      throw new CanvasNotReadyException("no shared canvas appeared in redis within " + wait.toMillis() + " ms");
    }
    RedisCanvas.Snapshot s = redis.snapshot(width);
    if (s.epoch() == null) {
      throw new CanvasNotReadyException("redis lost the canvas again while it was being loaded");
    }
    if (s.canvas() == null || s.canvas().length != width * height) {
      throw new IllegalStateException("the canvas in Redis has " + (s.canvas() == null ? 0 : s.canvas().length)
          + " bytes; CANVAS_WIDTH x CANVAS_HEIGHT needs " + width * height);
    }
    Canvas loaded = new Canvas(width, height, s.canvas(), s.seq());
    synchronized (lock) {
      canvas = loaded;
    }
    epoch = s.epoch();
    hash = loaded.sha256Hex();
    seq = loaded.seq();
  }

  String hash() {
    return hash;
  }

  /** Starts reading: stored batches go to {@code target}, and how far the mark came to {@code acks}. */
  void start(Broadcaster target, ClusterIntake acks) {
    this.broadcaster = target;
    this.intake = acks;
    thread.start();
  }

  boolean redisUp() {
    return redisUp;
  }

  @Override
  public long seq() {
    return seq;
  }

  @Override
  public CanvasSnapshot snapshot() {
    synchronized (lock) {
      return CanvasSnapshot.of(canvas);
    }
  }

  private void run() {
    long nextTick = System.nanoTime();
    while (running) {
      long wait = nextTick - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
        continue;
      }
      nextTick = Math.max(nextTick + intervalNanos, System.nanoTime());
      try {
        poll();
        if (!redisUp) {
          log.info("redis is reachable again");
        }
        redisUp = true;
      } catch (RuntimeException e) {
        if (redisUp) {
          log.warn("cannot read the shared canvas from redis; serving the last known canvas: {}", e.toString());
        }
        redisUp = false;
      }
    }
  }

  /** One tick: everything newly stored in the stream becomes one batch. */
  private void poll() {
    if (!subscribed) {
      try {
        // Acks then follow the commit mark at once instead of at this reader's next tick.
        redis.subscribeCommits(intake::storedThrough);
        subscribed = true;
      } catch (RuntimeException e) {
        log.debug("could not subscribe to commit announcements yet; acks wait for the next tick: {}", e.toString());
      }
    }
    RedisCanvas.Read read = redis.readStored(seq, MAX_ENTRIES_PER_READ);
    if (read.epoch() == null || !read.epoch().equals(epoch)) {
      reload();
      intake.storedThrough(epoch, seq);
      return;
    }
    List<RedisCanvas.Entry> entries = read.entries();
    if (entries.isEmpty()) {
      return;
    }
    if (entries.get(0).seq() != seq + 1) {
      log.warn("the stream no longer holds seq {} (it starts at {}); reloading the canvas", seq + 1,
          entries.get(0).seq());
      reload();
      intake.storedThrough(epoch, seq);
      return;
    }
    List<PixelChange> changes = new ArrayList<>(entries.size());
    synchronized (lock) {
      for (RedisCanvas.Entry e : entries) {
        PixelChange change = change(e);
        canvas.apply(change);
        changes.add(change);
      }
    }
    // Only this thread writes the canvas, so hashing outside the lock sees exactly this batch.
    hash = canvas.sha256Hex();
    seq = changes.get(changes.size() - 1).seq();
    broadcaster.publish(new CommittedBatch(changes, hash, System.currentTimeMillis()));
    intake.storedThrough(epoch, seq);
  }

  /**
   * Takes the canvas from Redis again (after a rebuild or a gap). If the new canvas is this one
   * plus the changes after its seq, clients get those changes as an ordinary batch; only a canvas
   * that went back, or that no known changes explain, closes them to resync.
   */
  private void reload() {
    Canvas before;
    synchronized (lock) {
      before = canvas; // load() replaces it, so this one is no longer written
    }
    long oldSeq = seq;
    String oldHash = hash;
    load(reloadWait);
    log.info("shared canvas reloaded at seq {} (was {})", seq, oldSeq);
    if (seq == oldSeq && hash.equals(oldHash)) {
      return;
    }
    List<PixelChange> missed = changesLeadingHere(before);
    if (missed.isEmpty()) {
      broadcaster.reset(seq, hash);
    } else {
      broadcaster.publish(new CommittedBatch(missed, hash, System.currentTimeMillis()));
    }
  }

  /**
   * The changes that turn {@code before} into the canvas just loaded, or none if they cannot all
   * be found or do not lead exactly there. A replica that was behind when Redis lost its data (it
   * had not read the last entries yet) finds them in the store's log, which the rebuild read
   * them from; entries sequenced since the rebuild are in the new stream.
   */
  private List<PixelChange> changesLeadingHere(Canvas before) {
    long from = before.seq();
    long to = seq;
    if (to <= from || to - from > MAX_CATCH_UP) {
      return List.of();
    }
    PixelChange[] changes = new PixelChange[(int) (to - from)];
    try {
      RedisCanvas.Read read = redis.readStored(from, changes.length);
      if (!epoch.equals(read.epoch())) {
        return List.of();
      }
      for (RedisCanvas.Entry e : read.entries()) {
        if (e.seq() <= to) {
          changes[(int) (e.seq() - from - 1)] = change(e);
        }
      }
      if (java.util.Arrays.asList(changes).contains(null)) {
        bootstrap.replayStored(from, c -> {
          if (c.seq() > from && c.seq() <= to && changes[(int) (c.seq() - from - 1)] == null) {
            changes[(int) (c.seq() - from - 1)] = c;
          }
        });
      }
      if (java.util.Arrays.asList(changes).contains(null)) {
        return List.of(); // a hole: a pixel that was shown but never stored
      }
      Canvas replayed = new Canvas(width, height, before.copyPixels(), from);
      for (PixelChange c : changes) {
        replayed.apply(c);
      }
      return replayed.sha256Hex().equals(hash) ? List.of(changes) : List.of();
    } catch (RuntimeException e) {
      log.warn("could not replay the changes between seq {} and {}; clients will resync: {}", from, to, e.toString());
      return List.of();
    }
  }

  private static PixelChange change(RedisCanvas.Entry e) {
    return LogWriter.change(e);
  }

  /**
   * Stops reading, waiting for the read in progress until {@code deadlineNanos} ({@link
   * System#nanoTime()}); a read or reload still running then (Redis not answering, a rebuild's
   * grace period) is interrupted, since nothing depends on its result any more.
   */
  void stop(long deadlineNanos) {
    running = false;
    Deadlines.stopBy(thread, deadlineNanos);
  }

  @Override
  public void close() {
    stop(System.nanoTime() + Duration.ofSeconds(5).toNanos());
  }
}
