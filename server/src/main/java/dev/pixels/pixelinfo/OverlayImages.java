package dev.pixels.pixelinfo;

import dev.pixels.web.PngEncoder;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;

/**
 * The PNG overlays of {@code GET /canvas/heatmap} and {@code GET /canvas/virgin}, drawn from the
 * {@link PixelIndex} and cached for {@code maxAge}.
 *
 * <p>The heatmap colours each pixel by the age of its latest placement within the window: {@link
 * #HEAT_LEVELS} steps from opaque red (just now) to faint yellow (the edge of the window), and
 * transparent for older or never-painted pixels. The virgin map is green where a pixel was never
 * painted and transparent elsewhere. Both are the canvas's size, one image pixel per canvas pixel.
 *
 * <p>Cost: one pass over the index's arrays and one deflate per image, at most once per {@code
 * maxAge} per window, on the encoder executor (never an event loop). At most {@link
 * #CACHED_WINDOWS} heatmap windows are cached; a further window evicts the least recently used.
 *
 * <p>Concurrency: the cache map is guarded by this object's monitor; each entry holds a future,
 * so concurrent requests for a stale image share one encoding.
 */
public final class OverlayImages {
  /** Heat steps inside the window; index 0 of the image's palette is transparent. */
  static final int HEAT_LEVELS = 15;
  static final int CACHED_WINDOWS = 8;
  private static final int[] HEAT_PALETTE = heatPalette();
  private static final int[] VIRGIN_PALETTE = {0x00000000, 0xb000c853};
  private static final long VIRGIN_KEY = -1;

  private final PixelIndex index;
  private final InstantSource clock;
  private final ExecutorService encoder;
  private final LongSupplier nanoClock;
  private final long maxAgeNanos;
  private final Map<Long, Cached> cache = new LinkedHashMap<>(16, 0.75f, true);

  private record Cached(CompletableFuture<byte[]> png, long builtAtNanos) {}

  public OverlayImages(PixelIndex index, InstantSource clock, ExecutorService encoder, LongSupplier nanoClock,
      Duration maxAge) {
    this.index = index;
    this.clock = clock;
    this.encoder = encoder;
    this.nanoClock = nanoClock;
    this.maxAgeNanos = maxAge.toNanos();
  }

  /** How long a client may cache an overlay. */
  public Duration maxAge() {
    return Duration.ofNanos(maxAgeNanos);
  }

  /** The heatmap PNG of the placements in the last {@code window}. */
  public CompletableFuture<byte[]> heatmap(Duration window) {
    long windowSeconds = window.toSeconds();
    return cached(windowSeconds, () -> {
      byte[] levels = new byte[index.width() * index.height()];
      index.heat(levels, clock.millis() / 1000, windowSeconds, HEAT_LEVELS);
      return PngEncoder.encode(levels, index.width(), index.height(), HEAT_PALETTE);
    });
  }

  /** The virgin-map PNG. */
  public CompletableFuture<byte[]> virgin() {
    return cached(VIRGIN_KEY, () -> {
      byte[] marks = new byte[index.width() * index.height()];
      index.virgin(marks);
      return PngEncoder.encode(marks, index.width(), index.height(), VIRGIN_PALETTE);
    });
  }

  private CompletableFuture<byte[]> cached(long key, java.util.function.Supplier<byte[]> draw) {
    long now = nanoClock.getAsLong();
    CompletableFuture<byte[]> mine;
    synchronized (this) {
      Cached hit = cache.get(key);
      if (hit != null && now - hit.builtAtNanos() < maxAgeNanos && !hit.png().isCompletedExceptionally()) {
        return hit.png();
      }
      mine = new CompletableFuture<>();
      cache.put(key, new Cached(mine, now));
      while (cache.size() > CACHED_WINDOWS + 1) {
        var eldest = cache.keySet().iterator();
        eldest.next();
        eldest.remove();
      }
    }
    encoder.execute(() -> {
      try {
        mine.complete(draw.get());
      } catch (RuntimeException | Error e) {
        mine.completeExceptionally(e);
      }
    });
    return mine;
  }

  private static int[] heatPalette() {
    int[] argb = new int[HEAT_LEVELS + 1];
    for (int level = 1; level <= HEAT_LEVELS; level++) {
      double heat = (level - 1) / (double) (HEAT_LEVELS - 1); // 0 at the window's edge, 1 just now
      int alpha = (int) Math.round(0x50 + heat * (0xf0 - 0x50));
      int green = (int) Math.round(0xe0 - heat * 0xe0);
      argb[level] = alpha << 24 | 0xff << 16 | green << 8 | 0x20;
    }
    return argb;
  }
}
