package dev.pixels.storage;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One group commit of the embedded store: {@code PixelStore.append} of a batch in one SQLite
 * transaction (WAL, synchronous=FULL, so it includes an fsync of the disk under
 * {@code java.io.tmpdir}), against the memory store for scale. Batch sizes: 1, 10 (prd), 250 (busy).
 *
 * <p>Run: {@code java -jar bench/target/pixels-bench.jar jmh GroupCommitBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GroupCommitBench {
  @Param({"1", "10", "250"})
  public int pixels;

  @Param({"sqlite", "memory"})
  public String store;

  private Path dir;
  private PixelStore pixelStore;
  private long seq;

  @Setup
  public void setup() throws IOException {
    dir = Files.createTempDirectory("pixels-jmh-");
    pixelStore = store.equals("sqlite") ? PixelStores.sqlite(dir) : PixelStores.memory();
  }

  @TearDown
  public void tearDown() throws IOException {
    pixelStore.close();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Benchmark
  public long append() {
    List<PixelChange> batch = new ArrayList<>(pixels);
    for (int i = 0; i < pixels; i++) {
      long s = ++seq;
      batch.add(new PixelChange(s, (int) (s % 900), (int) (s / 900 % 900), (int) (s % 32), 0, "user-" + (s % 500), s, Tool.BRUSH));
    }
    pixelStore.append(batch);
    return seq;
  }
}
