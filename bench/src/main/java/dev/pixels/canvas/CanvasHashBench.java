package dev.pixels.canvas;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SHA-256 of a 900×900 canvas as hex: once per batch (the {@code hash} of every bulk update), so
 * at 20 batches/s it costs 20× this per second of the batcher thread.
 *
 * <p>Run: {@code java -jar bench/target/pixels-bench.jar jmh CanvasHashBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CanvasHashBench {
  private Canvas canvas;

  @Setup
  public void setup() {
    canvas = new Canvas(900, 900);
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < 20_000; i++) {
      canvas.set(r.nextInt(900), r.nextInt(900), r.nextInt(32));
    }
  }

  @Benchmark
  public String sha256Hex() {
    return canvas.sha256Hex();
  }
}
