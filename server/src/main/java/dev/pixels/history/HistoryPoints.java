package dev.pixels.history;

import dev.pixels.canvas.PixelChange;
import dev.pixels.storage.PixelStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The index of history points: for every boundary of the point interval (multiples of it since the
 * epoch) that the canvas crossed while being painted, the seq it stood at then.
 *
 * <p>A point is the canvas just before the first change stamped after its boundary, so it is final
 * as soon as that change is committed, and a URL keyed by its seq never changes meaning. A
 * boundary crossed with no change after it yet is not a point: the live canvas shows that state.
 * Boundaries with no change between them collapse into one point (the latest of them).
 *
 * <p>Cost: the first request reads the whole log once, in pages of {@link #PAGE}; later ones read
 * only what was committed since, at most once per {@code refreshNanos}. At most {@code maxPoints}
 * are kept: beyond that every other point is dropped (the first stays), so memory stays bounded
 * on a canvas that runs for years, at the price of coarser old history.
 *
 * <p>Concurrency: the index is an immutable {@link Index} behind a volatile field. Catching up runs
 * on the given executor, single-flight: concurrent callers share one future. Only the task
 * running on the executor touches the builder fields.
 */
final class HistoryPoints {
  static final int PAGE = 2_000;

  /** One history point: the canvas stood at {@code seq} at {@code timeMillis}. */
  record Point(long seq, long timeMillis) {}

  /**
   * An immutable view of the index.
   *
   * @param firstMillis time of the first change, or -1 if nothing was painted yet
   * @param lastSeq the last seq read from the log
   * @param lastMillis time of that change, or -1
   */
  record Index(List<Point> points, long firstMillis, long lastSeq, long lastMillis) {
    /** The newest point at or before {@code millis}, or null. */
    Point atOrBefore(long millis) {
      Point found = null;
      for (Point p : points) {
        if (p.timeMillis() > millis) {
          break;
        }
        found = p;
      }
      return found;
    }

    boolean has(long seq) {
      int lo = 0;
      int hi = points.size() - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        long s = points.get(mid).seq();
        if (s == seq) {
          return true;
        } else if (s < seq) {
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return false;
    }
  }

  private final PixelStore store;
  private final long intervalMillis;
  private final int maxPoints;
  private final Executor executor;
  private final LongSupplier nanoClock;
  private final long refreshNanos;
  private volatile Index index = new Index(List.of(), -1, 0, -1);
  private volatile long refreshedAtNanos;
  private volatile boolean everRefreshed;
  private final AtomicReference<CompletableFuture<Index>> catchingUp = new AtomicReference<>();
  // Builder state: touched only by the catch-up task.
  private final List<Point> points = new ArrayList<>();
  private long lastBoundary = Long.MIN_VALUE;

  HistoryPoints(PixelStore store, long intervalMillis, int maxPoints, Executor executor, LongSupplier nanoClock,
      long refreshNanos) {
    this.store = store;
    this.intervalMillis = intervalMillis;
    this.maxPoints = maxPoints;
    this.executor = executor;
    this.nanoClock = nanoClock;
    this.refreshNanos = refreshNanos;
  }

  long intervalMillis() {
    return intervalMillis;
  }

  /** The index, first caught up with the log if it was last read more than the refresh time ago. */
  CompletableFuture<Index> current() {
    if (everRefreshed && nanoClock.getAsLong() - refreshedAtNanos < refreshNanos) {
      return CompletableFuture.completedFuture(index);
    }
    return caughtUp();
  }

  /** The index caught up with every change committed before this call. */
  CompletableFuture<Index> caughtUp() {
    CompletableFuture<Index> mine = new CompletableFuture<>();
    CompletableFuture<Index> inFlight = catchingUp.compareAndExchange(null, mine);
    if (inFlight != null) {
      // A catch-up that started before this call may miss a change committed just before it;
      // chaining one more behind it keeps the promise.
      return inFlight.handle((i, e) -> null).thenCompose(v -> caughtUp());
    }
    try {
      executor.execute(() -> {
        try {
          long started = nanoClock.getAsLong();
          Index fresh = readOn();
          index = fresh;
          refreshedAtNanos = started;
          everRefreshed = true;
          catchingUp.set(null);
          mine.complete(fresh);
        } catch (RuntimeException | Error e) {
          catchingUp.set(null);
          mine.completeExceptionally(e);
        }
      });
    } catch (RuntimeException e) {
      catchingUp.set(null);
      mine.completeExceptionally(e);
    }
    return mine;
  }

  private Index readOn() {
    Index old = index;
    long seq = old.lastSeq();
    long first = old.firstMillis();
    long last = old.lastMillis();
    while (true) {
      List<PixelChange> page = store.logAfter(seq, PAGE);
      for (PixelChange c : page) {
        long ts = c.timestampMillis();
        if (first < 0) {
          first = ts;
        }
        long boundary = Math.floorDiv(ts - 1, intervalMillis) * intervalMillis;
        if (boundary > lastBoundary) {
          points.add(new Point(c.seq() - 1, boundary));
          lastBoundary = boundary;
          if (points.size() > maxPoints) {
            thin();
          }
        }
        seq = c.seq();
        last = ts;
      }
      if (page.size() < PAGE) {
        return new Index(List.copyOf(points), first, seq, last);
      }
    }
  }

  /** Drops every other point after the first. */
  private void thin() {
    List<Point> kept = new ArrayList<>(points.size() / 2 + 1);
    for (int i = 0; i < points.size(); i += 2) {
      kept.add(points.get(i));
    }
    points.clear();
    points.addAll(kept);
  }
}
