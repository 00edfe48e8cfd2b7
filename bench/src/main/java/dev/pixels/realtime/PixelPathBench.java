package dev.pixels.realtime;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.Palette;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
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
 * Validating and applying one pixel: {@code MessageParser.parse} of a {@code pixel:update} frame
 * (the work an event loop does per pixel), then {@code Canvas.apply} (the batcher's work).
 *
 * <p>Run: {@code java -jar bench/target/pixels-bench.jar jmh PixelPathBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PixelPathBench {
  private MessageParser parser;
  private Canvas canvas;
  private String frame;
  private String badColor;
  private long seq;

  @Setup
  public void setup() {
    Palette palette = Palette.defaultPalette();
    parser = new MessageParser(palette, 900, 900);
    canvas = new Canvas(900, 900);
    frame = "{\"type\":\"pixel:update\",\"id\":\"12345\",\"data\":{\"x\":431,\"y\":217,\"color\":\"#ff0000\"}}";
    badColor = "{\"type\":\"pixel:update\",\"id\":\"12345\",\"data\":{\"x\":431,\"y\":217,\"color\":\"#123456\"}}";
  }

  @Benchmark
  public Object parseValid() {
    return parser.parse(frame);
  }

  @Benchmark
  public Object parseRejected() {
    return parser.parse(badColor);
  }

  @Benchmark
  public long parseAndApply() {
    ClientMessage m = parser.parse(frame);
    if (m instanceof ClientMessage.Paint p) {
      int x = (int) (seq % 900);
      PixelChange c = new PixelChange(++seq, x, p.y(), p.color(), canvas.get(x, p.y()), "u1", 0L, Tool.BRUSH);
      canvas.apply(c);
    }
    return canvas.seq();
  }
}
