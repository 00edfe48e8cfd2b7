package dev.pixels.web;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.CanvasSnapshot;
import dev.pixels.canvas.CommittedCanvas;
import dev.pixels.canvas.Palette;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.zip.GZIPOutputStream;

/**
 * The cached, pre-compressed renderings of the durable canvas served by {@code GET /canvas} and
 * {@code GET /canvas/image}.
 *
 * <p>A rendering is rebuilt lazily: only when a request finds it older than {@code maxAge} and
 * the canvas has moved on. So gzip and PNG cost at most one encoding per {@code maxAge}, whatever
 * the request rate, and nothing of this runs on the batch path. A rendering may lag the live
 * canvas by up to {@code maxAge}; its {@code seq} says exactly which state it shows.
 *
 * <p>Concurrency: the current rendering is an immutable object behind a volatile field. Rebuilds
 * are single-flight: concurrent requests that find it stale share one future. Encoding runs on the
 * given executor, never on an event loop. The PNG of a rendering is built on first request and
 * memoised the same way.
 */
public final class CanvasImages {

  /** One immutable rendering of the canvas at {@code seq}. */
  public static final class Rendering {
    final long seq;
    final int width;
    final int height;
    final byte[] raw;
    final byte[] gzip;
    final String etag;
    final long builtAtNanos;
    private final AtomicReference<CompletableFuture<byte[]>> png = new AtomicReference<>();

    Rendering(long seq, int width, int height, byte[] raw, byte[] gzip, String etag, long builtAtNanos) {
      this.seq = seq;
      this.width = width;
      this.height = height;
      this.raw = raw;
      this.gzip = gzip;
      this.etag = etag;
      this.builtAtNanos = builtAtNanos;
    }

    /** The seq this rendering shows. */
    public long seq() {
      return seq;
    }

    /** The raw bitmap, one palette index per pixel, row by row. Never mutate it. */
    public byte[] pixels() {
      return raw;
    }

    Rendering refreshed(long now) {
      Rendering r = new Rendering(seq, width, height, raw, gzip, etag, now);
      r.png.set(png.get());
      return r;
    }
  }

  private final CommittedCanvas canvas;
  private final Palette palette;
  private final long maxAgeNanos;
  private final ExecutorService encoder;
  private final LongSupplier nanoClock;
  private volatile Rendering current;
  private final AtomicReference<CompletableFuture<Rendering>> rebuilding = new AtomicReference<>();

  public CanvasImages(CommittedCanvas canvas, Palette palette, Duration maxAge, ExecutorService encoder,
      LongSupplier nanoClock) {
    this.canvas = canvas;
    this.palette = palette;
    this.maxAgeNanos = maxAge.toNanos();
    this.encoder = encoder;
    this.nanoClock = nanoClock;
  }

  /** The current rendering, rebuilt first if it is stale. */
  public CompletableFuture<Rendering> rendering() {
    Rendering r = current;
    if (r != null && (r.seq == canvas.seq() || nanoClock.getAsLong() - r.builtAtNanos < maxAgeNanos)) {
      return CompletableFuture.completedFuture(r);
    }
    CompletableFuture<Rendering> mine = new CompletableFuture<>();
    CompletableFuture<Rendering> inFlight = rebuilding.compareAndExchange(null, mine);
    if (inFlight != null) {
      return inFlight;
    }
    encoder.execute(() -> {
      try {
        mine.complete(rebuild());
      } catch (RuntimeException | Error e) {
        mine.completeExceptionally(e);
      } finally {
        rebuilding.set(null);
      }
    });
    return mine;
  }

  /** The PNG of {@code r}, encoded on first use. */
  public CompletableFuture<byte[]> png(Rendering r) {
    CompletableFuture<byte[]> existing = r.png.get();
    if (existing != null) {
      return existing;
    }
    CompletableFuture<byte[]> mine = new CompletableFuture<>();
    if (!r.png.compareAndSet(null, mine)) {
      return r.png.get();
    }
    encoder.execute(() -> {
      try {
        mine.complete(PngEncoder.encode(r.raw, r.width, r.height, palette));
      } catch (RuntimeException | Error e) {
        r.png.set(null);
        mine.completeExceptionally(e);
      }
    });
    return mine;
  }

  private Rendering rebuild() {
    long now = nanoClock.getAsLong();
    Rendering old = current;
    if (old != null && old.seq == canvas.seq()) {
      current = old.refreshed(now);
      return current;
    }
    CanvasSnapshot snapshot = canvas.snapshot();
    Rendering fresh = render(snapshot, now);
    current = fresh;
    return fresh;
  }

  /** Renders any snapshot, e.g. a historical one; not cached. */
  public static Rendering render(CanvasSnapshot snapshot, long nowNanos) {
    byte[] raw = snapshot.pixels();
    return new Rendering(snapshot.seq(), snapshot.width(), snapshot.height(), raw, gzip(raw),
        "\"" + Canvas.sha256Hex(raw) + "\"", nowNanos);
  }

  static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 16));
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
      gz.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException("gzip into memory cannot fail", e);
    }
    return out.toByteArray();
  }
}
