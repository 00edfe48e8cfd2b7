package dev.pixels.realtime;

import dev.pixels.canvas.Palette;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import java.util.ArrayList;
import java.util.List;
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
 * Encoding one {@code pixel:bulk_update} (done once per batch, shared by every connection) for
 * batch sizes of the profiles: 10 (prd: 200 px/s × 50 ms), 250 (busy: 5,000 px/s × 50 ms), 5,000
 * (a coalesced batch), as JSON and as the binary frame of subprotocol pixels.v1.bin.
 *
 * <p>Run: {@code java -jar bench/target/pixels-bench.jar jmh BatchEncodeBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BatchEncodeBench {
  @Param({"10", "250", "5000"})
  public int pixels;

  private BulkUpdateCodec codec;
  private CommittedBatch batch;

  @Setup
  public void setup() {
    Palette palette = Palette.defaultPalette();
    codec = new BulkUpdateCodec(palette);
    SplittableRandom r = new SplittableRandom(1);
    List<PixelChange> changes = new ArrayList<>();
    for (int i = 0; i < pixels; i++) {
      changes.add(new PixelChange(1_000_000 + i, r.nextInt(900), r.nextInt(900), r.nextInt(palette.size()), 0, "u" + i, 1_760_000_000_000L, Tool.BRUSH));
    }
    batch = new CommittedBatch(changes, "ab".repeat(32), 1_760_000_000_000L);
  }

  @Benchmark
  public byte[] json() {
    return codec.encodeJson(batch);
  }

  @Benchmark
  public byte[] binary() {
    return codec.encodeBinary(batch);
  }
}
