package dev.pixels.timelapse;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Region;
import dev.pixels.storage.Checkpoint;
import dev.pixels.storage.HistoryQuery;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.StoreException;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Renders a timelapse in one pass over the pixel log: the canvas at the start of the range is
 * rebuilt once, from whichever is nearest of the store's checkpoint (walked forward, or back with
 * each change's previous colour) and the empty canvas, and then every change of the range is
 * applied in seq order, with a frame handed to the {@link FrameSink} at each interval.
 *
 * <p>It reads only through {@link PixelStore#history}, in pages of seqs, so it works on every
 * store, and on the SQLite store it reads on the reader connection that never makes the pixel
 * writer wait. It relies on what the stores guarantee: seqs ascend without going back, and
 * timestamps never decrease along them.
 *
 * <p>Not thread-safe: one render runs on one thread. A render stops with {@link
 * InterruptedException} when that thread is interrupted, between two pages.
 */
public final class TimelapseRenderer {
  /** Changes read per history query. */
  static final int PAGE = 8_192;

  private final PixelStore store;
  private final int width;
  private final int height;

  /** Progress of a render, in units of log entries read: {@code done} of {@code total}. */
  @FunctionalInterface
  public interface Progress {
    void update(long done, long total);
  }

  /** What a finished render made. */
  public record Result(int frames, long changes) {}

  public TimelapseRenderer(PixelStore store, int width, int height) {
    this.store = store;
    this.width = width;
    this.height = height;
  }

  /**
   * Renders {@code request} into {@code sink} and finishes it.
   *
   * @throws TimelapseRequest.Invalid if the range would make more than {@link
   *     TimelapseRequest#MAX_FRAMES} frames
   */
  Result render(TimelapseRequest request, FrameSink sink, Progress progress)
      throws IOException, InterruptedException {
    if (!request.region().fitsIn(width, height)) {
      throw new TimelapseRequest.Invalid("the region must lie on the " + width + "x" + height + " canvas");
    }
    long head = seqAtOrBelow(Long.MAX_VALUE);
    long startSeq = lastSeqAtOrBefore(request.fromMillis(), head);
    long endSeq = lastSeqAtOrBefore(request.toMillis(), head);
    Checkpoint checkpoint = store.latestCheckpoint()
        .filter(cp -> cp.width() == width && cp.height() == height && cp.seq() <= head)
        .orElse(null);
    long forwardFromCheckpoint = checkpoint != null && checkpoint.seq() <= startSeq ? startSeq - checkpoint.seq() : Long.MAX_VALUE;
    long backFromCheckpoint = checkpoint != null && checkpoint.seq() > startSeq ? checkpoint.seq() - startSeq : Long.MAX_VALUE;
    long fromEmpty = startSeq;
    long prepare = Math.min(fromEmpty, Math.min(forwardFromCheckpoint, backFromCheckpoint));
    long total = prepare + (endSeq - startSeq);
    long[] done = {0};
    Consumer<Integer> advance = n -> {
      done[0] += n;
      progress.update(done[0], total);
    };
    progress.update(0, total);

    byte[] pixels;
    if (prepare == fromEmpty) {
      pixels = new byte[width * height];
      forward(0, startSeq, c -> put(pixels, c, c.color()), advance);
    } else if (prepare == forwardFromCheckpoint) {
      pixels = checkpoint.pixels().clone();
      forward(checkpoint.seq(), startSeq, c -> put(pixels, c, c.color()), advance);
    } else {
      pixels = checkpoint.pixels().clone();
      backward(checkpoint.seq(), startSeq, c -> put(pixels, c, c.previousColor()), advance);
    }

    Frames frames = new Frames(request, sink, pixels);
    frames.emit(); // the canvas at the start
    forward(startSeq, endSeq, frames::apply, advance);
    frames.end();
    sink.finish();
    progress.update(total, total);
    return new Result(frames.count, endSeq - startSeq);
  }

  private void put(byte[] pixels, PixelChange c, int color) {
    if (c.x() < 0 || c.y() < 0 || c.x() >= width || c.y() >= height) {
      throw new StoreException("logged pixel seq " + c.seq() + " at (" + c.x() + "," + c.y() + ") lies outside the "
          + width + "x" + height + " canvas");
    }
    pixels[c.y() * width + c.x()] = (byte) color;
  }

  /** Decides when frames are due, applies changes and tracks what changed since the last frame. */
  private final class Frames {
    private final TimelapseRequest request;
    private final FrameSink sink;
    private final byte[] pixels;
    private final Region region;
    private final long everyPixels;
    private final long everyMillis;
    private long nextFrameAt;
    private long sinceFrame;
    private int count;
    private int dx1 = Integer.MAX_VALUE;
    private int dy1 = Integer.MAX_VALUE;
    private int dx2 = -1;
    private int dy2 = -1;

    Frames(TimelapseRequest request, FrameSink sink, byte[] pixels) {
      this.request = request;
      this.sink = sink;
      this.pixels = pixels;
      this.region = request.region();
      this.everyPixels = request.interval() instanceof TimelapseRequest.Interval.Pixels p ? p.pixels() : 0;
      this.everyMillis = request.interval() instanceof TimelapseRequest.Interval.Millis m ? m.millis() : 0;
      this.nextFrameAt = everyMillis > 0 ? frameTime(1) : Long.MAX_VALUE;
    }

    private long frameTime(int index) {
      long t = request.fromMillis() + index * everyMillis;
      return Math.min(t, request.toMillis());
    }

    void apply(PixelChange c) {
      try {
        while (c.timestampMillis() > nextFrameAt) {
          emit();
          nextFrameAt = count >= lastFrameIndex() + 1 ? Long.MAX_VALUE : frameTime(count);
        }
        put(pixels, c, c.color());
        if (region.contains(c.x(), c.y())) {
          dx1 = Math.min(dx1, c.x());
          dy1 = Math.min(dy1, c.y());
          dx2 = Math.max(dx2, c.x());
          dy2 = Math.max(dy2, c.y());
          sinceFrame++;
          if (everyPixels > 0 && sinceFrame >= everyPixels) {
            emit();
          }
        }
      } catch (IOException e) {
        throw new FrameFailure(e);
      }
    }

    private long lastFrameIndex() {
      return TimelapseRequest.framesFor(request.toMillis() - request.fromMillis(), everyMillis) - 1;
    }

    void end() throws IOException {
      if (everyMillis > 0) {
        while (count <= lastFrameIndex()) {
          emit();
        }
      } else if (sinceFrame > 0) {
        emit();
      }
    }

    void emit() throws IOException {
      if (count >= TimelapseRequest.MAX_FRAMES) {
        throw new TimelapseRequest.Invalid("the range makes more than " + TimelapseRequest.MAX_FRAMES
            + " frames at one frame every " + everyPixels + " pixels; choose a larger everyPixels");
      }
      Region changed = count == 0 ? region : dx2 < 0 ? null : new Region(dx1, dy1, dx2, dy2);
      sink.frame(pixels, width, changed);
      count++;
      sinceFrame = 0;
      dx1 = Integer.MAX_VALUE;
      dy1 = Integer.MAX_VALUE;
      dx2 = -1;
      dy2 = -1;
    }
  }

  /** Carries an encoder's failure out of a change consumer. */
  private static final class FrameFailure extends RuntimeException {
    FrameFailure(IOException cause) {
      super(cause);
    }
  }

  /** Calls {@code sink} with every change in (afterSeq, untilSeq], ascending. */
  private void forward(long afterSeq, long untilSeq, Consumer<PixelChange> sink, Consumer<Integer> advance)
      throws IOException, InterruptedException {
    long cursor = afterSeq;
    try {
      while (cursor < untilSeq) {
        if (Thread.interrupted()) {
          throw new InterruptedException("the render was stopped");
        }
        long hi = Math.min(untilSeq, cursor + PAGE);
        int span = (int) (hi - cursor);
        // Newest first, at most `span` of them: every change of (cursor, hi], and when the log has
        // gaps some older ones, which are left out.
        List<PixelChange> page = store.history(seqsBelow(hi + 1, span));
        for (int i = page.size() - 1; i >= 0; i--) {
          PixelChange c = page.get(i);
          if (c.seq() > cursor) {
            sink.accept(c);
          }
        }
        advance.accept(span);
        cursor = hi;
      }
    } catch (FrameFailure e) {
      throw (IOException) e.getCause();
    }
  }

  /** Calls {@code sink} with every change in (downToSeq, fromSeq], descending. */
  private void backward(long fromSeq, long downToSeq, Consumer<PixelChange> sink, Consumer<Integer> advance)
      throws InterruptedException {
    long cursor = fromSeq;
    while (cursor > downToSeq) {
      if (Thread.interrupted()) {
        throw new InterruptedException("the render was stopped");
      }
      int span = (int) Math.min(PAGE, cursor - downToSeq);
      long lo = cursor - span;
      for (PixelChange c : store.history(seqsBelow(cursor + 1, span))) {
        if (c.seq() > lo) {
          sink.accept(c);
        }
      }
      advance.accept(span);
      cursor = lo;
    }
  }

  private static HistoryQuery seqsBelow(long beforeSeq, int limit) {
    return HistoryQuery.newest(limit).before(beforeSeq);
  }

  /** The highest logged seq at or below {@code seq}, or 0 if there is none. */
  private long seqAtOrBelow(long seq) {
    List<PixelChange> page = store.history(seqsBelow(seq == Long.MAX_VALUE ? seq : seq + 1, 1));
    return page.isEmpty() ? 0 : page.get(0).seq();
  }

  /**
   * The highest seq whose change happened at or before {@code millis}, or 0: a binary search over
   * seqs, each step one single-row read at the top of a seq range, since time never goes back
   * along the log.
   */
  long lastSeqAtOrBefore(long millis, long head) {
    long lo = 0; // known: everything at or below lo happened at or before millis
    long hi = head;
    while (lo < hi) {
      long mid = lo + (hi - lo + 1) / 2;
      List<PixelChange> page = store.history(seqsBelow(mid + 1, 1));
      if (page.isEmpty() || page.get(0).seq() <= lo) {
        lo = mid; // no change in (lo, mid]
      } else if (page.get(0).timestampMillis() <= millis) {
        lo = mid;
      } else {
        hi = page.get(0).seq() - 1;
      }
    }
    return seqAtOrBelow(lo);
  }
}
