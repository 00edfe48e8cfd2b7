package dev.pixels.timelapse;

import dev.pixels.canvas.Palette;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Region;
import dev.pixels.canvas.Tool;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.PixelStores;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
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
 * One timelapse render of a one-hour range holding 1,000,000 placements on a 900×900 canvas, read
 * from the embedded (SQLite) store and written as a GIF of the whole canvas, one frame per 10 s of
 * canvas time (361 frames). The placements are uniformly random, the worst case for the GIF's
 * changed-rectangle frames: nearly every frame is the whole canvas.
 *
 * <p>Run: {@code java -jar bench/target/pixels-bench.jar jmh TimelapseBench}. Setup writes the
 * log once (about a minute); each measured iteration is one whole render.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(1)
public class TimelapseBench {
  static final int SIDE = 900;
  static final int PLACEMENTS = 1_000_000;
  static final long HOUR = 3_600_000;
  static final long T0 = 1_800_000_000_000L;

  /** How far apart frames are: 10 s of canvas time (361 frames), or 10,000 placements (101). */
  @Param({"10s", "10000px"})
  public String interval;

  private Path dir;
  private PixelStore store;

  @Setup
  public void setup() throws IOException {
    dir = Files.createTempDirectory("pixels-jmh-timelapse-");
    fill(dir, PLACEMENTS, T0);
    store = PixelStores.sqliteReadOnly(dir);
  }

  /**
   * Fills a data directory for a server to start on, e.g. to measure painting while a job renders:
   * {@code java -cp bench/target/pixels-bench.jar dev.pixels.timelapse.TimelapseBench DIR PLACEMENTS
   * START_EPOCH_MS}.
   */
  public static void main(String[] args) {
    fill(Path.of(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]));
  }

  /** Writes {@code placements} random placements, spread evenly over one hour from {@code t0}, into a new embedded store. */
  static void fill(Path dir, int placements, long t0) {
    SplittableRandom random = new SplittableRandom(13);
    byte[] canvas = new byte[SIDE * SIDE];
    try (PixelStore writer = PixelStores.sqlite(dir)) {
      List<PixelChange> batch = new ArrayList<>(10_000);
      for (int i = 1; i <= placements; i++) {
        int x = random.nextInt(SIDE);
        int y = random.nextInt(SIDE);
        int color = random.nextInt(32);
        batch.add(new PixelChange(i, x, y, color, canvas[y * SIDE + x], "user-" + random.nextInt(5_000),
            t0 + HOUR * i / placements, Tool.BRUSH));
        canvas[y * SIDE + x] = (byte) color;
        if (batch.size() == 10_000) {
          writer.append(batch);
          batch.clear();
        }
      }
      writer.append(batch);
    }
  }

  @TearDown
  public void tearDown() throws IOException {
    store.close();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Benchmark
  public int renderOneHourGif() throws Exception {
    TimelapseRequest.Interval every = interval.equals("10s")
        ? new TimelapseRequest.Interval.Millis(10_000) : new TimelapseRequest.Interval.Pixels(10_000);
    TimelapseRequest request = new TimelapseRequest(new Region(0, 0, SIDE - 1, SIDE - 1), T0, T0 + HOUR, every, 30, 1,
        TimelapseRequest.Format.GIF);
    Counting out = new Counting();
    TimelapseRenderer.Result result = new TimelapseRenderer(store, SIDE, SIDE)
        .render(request, new GifFrames(out, Palette.defaultPalette(), request), (done, total) -> {});
    if (result.changes() != PLACEMENTS) {
      throw new IllegalStateException("rendered " + result.changes() + " placements");
    }
    return result.frames() + (int) out.bytes;
  }

  /** Counts the GIF's bytes and keeps none. */
  private static final class Counting extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }
}
