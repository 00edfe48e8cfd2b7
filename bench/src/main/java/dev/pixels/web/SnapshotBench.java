package dev.pixels.web;

import dev.pixels.canvas.Palette;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rebuilding the {@code GET /canvas} gzip snapshot and the {@code GET /canvas/image} PNG of a
 * 900×900 canvas (each at most once per {@code CANVAS_SNAPSHOT_MAX_AGE_MS}). {@code fill} is the
 * share of pixels painted at random: 2.5% is the canvas profile's 20,000-pixel prefill, 100% is
 * noise, the worst case for deflate.
 *
 * <p>Run: {@code java -jar bench/target/pixels-bench.jar jmh SnapshotBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SnapshotBench {
  @Param({"0.025", "1.0"})
  public double fill;

  private byte[] raw;
  private Palette palette;

  @Setup
  public void setup() {
    palette = Palette.defaultPalette();
    raw = new byte[900 * 900];
    SplittableRandom r = new SplittableRandom(1);
    long n = Math.round(raw.length * fill);
    for (long i = 0; i < n; i++) {
      raw[fill >= 1.0 ? (int) i : r.nextInt(raw.length)] = (byte) r.nextInt(32);
    }
  }

  @Benchmark
  public byte[] gzip() {
    return CanvasImages.gzip(raw);
  }

  @Benchmark
  public byte[] png() {
    return PngEncoder.encode(raw, 900, 900, palette);
  }
}
