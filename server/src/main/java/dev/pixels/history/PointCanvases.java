package dev.pixels.history;

import dev.pixels.canvas.CanvasSnapshot;
import dev.pixels.canvas.CommittedCanvas;
import dev.pixels.canvas.PixelChange;
import dev.pixels.storage.HistoryQuery;
import dev.pixels.storage.PixelStore;
import dev.pixels.web.CanvasImages;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The canvas at a history point, rendered like {@code GET /canvas} and kept in a bounded cache.
 *
 * <p>Cost of a point not in the cache: one pass over the log between the point and the nearest
 * state at hand, whichever is closest in seqs: the blank canvas (seq 0), a cached point, or the
 * live canvas. From a state below the point the pass applies the changes after it in seq order;
 * from one above, it undoes the changes down to the point with their previous colours, newest
 * first. Then one gzip of the result. Nothing is ever replayed per request once cached.
 *
 * <p>Concurrency: renders run on the given executor (one thread in production); concurrent requests
 * for the same seq share one future. The cache is an access-ordered map guarded by its own lock
 * and holds at most {@code capacity} renderings, each immutable.
 */
final class PointCanvases {
  private final PixelStore store;
  private final CommittedCanvas canvas;
  private final int capacity;
  private final Executor executor;
  private final LongSupplier nanoClock;
  private final Map<Long, CanvasImages.Rendering> cache;
  private final Map<Long, CompletableFuture<CanvasImages.Rendering>> rendering = new ConcurrentHashMap<>();

  PointCanvases(PixelStore store, CommittedCanvas canvas, int capacity, Executor executor, LongSupplier nanoClock) {
    this.store = store;
    this.canvas = canvas;
    this.capacity = capacity;
    this.executor = executor;
    this.nanoClock = nanoClock;
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Long, CanvasImages.Rendering> eldest) {
        return size() > PointCanvases.this.capacity;
      }
    };
  }

  /** The canvas as it stood at {@code seq}, a seq already in the store's log. */
  CompletableFuture<CanvasImages.Rendering> at(long seq) {
    CanvasImages.Rendering cached;
    synchronized (cache) {
      cached = cache.get(seq);
    }
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    CompletableFuture<CanvasImages.Rendering> mine = new CompletableFuture<>();
    CompletableFuture<CanvasImages.Rendering> inFlight = rendering.putIfAbsent(seq, mine);
    if (inFlight != null) {
      return inFlight;
    }
    try {
      executor.execute(() -> {
        try {
          CanvasImages.Rendering r = CanvasImages.render(build(seq), nanoClock.getAsLong());
          synchronized (cache) {
            cache.put(seq, r);
          }
          mine.complete(r);
        } catch (RuntimeException | Error e) {
          mine.completeExceptionally(e);
        } finally {
          rendering.remove(seq);
        }
      });
    } catch (RuntimeException e) {
      rendering.remove(seq);
      mine.completeExceptionally(e);
    }
    return mine;
  }

  private CanvasSnapshot build(long seq) {
    CanvasSnapshot live = canvas.snapshot();
    long below = 0;
    byte[] belowPixels = null;
    // A replica may lag the log the index was read from; then its canvas is no starting point.
    long above = live.seq() >= seq ? live.seq() : Long.MAX_VALUE;
    byte[] abovePixels = live.pixels();
    synchronized (cache) {
      for (CanvasImages.Rendering r : cache.values()) {
        long s = r.seq();
        if (s <= seq && s >= below) {
          below = s;
          belowPixels = r.pixels();
        }
        if (s >= seq && s < above) {
          above = s;
          abovePixels = r.pixels();
        }
      }
    }
    byte[] pixels;
    if (seq - below <= above - seq) {
      pixels = belowPixels == null ? new byte[live.pixels().length] : belowPixels.clone();
      forward(pixels, live.width(), below, seq);
    } else {
      pixels = abovePixels.clone();
      backward(pixels, live.width(), above, seq);
    }
    return new CanvasSnapshot(seq, live.width(), live.height(), pixels);
  }

  /** Applies the changes in ({@code from}, {@code to}] in seq order. */
  private void forward(byte[] pixels, int width, long from, long to) {
    long cursor = from;
    while (cursor < to) {
      List<PixelChange> page = store.logAfter(cursor, (int) Math.min(HistoryPoints.PAGE, to - cursor));
      if (page.isEmpty()) {
        return;
      }
      for (PixelChange c : page) {
        if (c.seq() > to) {
          return;
        }
        pixels[c.y() * width + c.x()] = (byte) c.color();
        cursor = c.seq();
      }
    }
  }

  /** Undoes the changes in ({@code to}, {@code from}] newest first. */
  private void backward(byte[] pixels, int width, long from, long to) {
    HistoryQuery page = HistoryQuery.newest(HistoryPoints.PAGE).before(from + 1);
    while (true) {
      List<PixelChange> changes = store.history(page);
      for (PixelChange c : changes) {
        if (c.seq() <= to) {
          return;
        }
        pixels[c.y() * width + c.x()] = (byte) c.previousColor();
      }
      if (changes.size() < page.limit()) {
        return;
      }
      page = page.before(changes.get(changes.size() - 1).seq());
    }
  }
}
