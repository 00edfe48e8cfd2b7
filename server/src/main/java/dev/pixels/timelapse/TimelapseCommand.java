package dev.pixels.timelapse;

import dev.pixels.canvas.Palette;
import dev.pixels.canvas.Region;
import dev.pixels.storage.Checkpoint;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.PixelStores;
import dev.pixels.storage.StoreException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * {@code pixels.jar timelapse}: the job renderer run offline on an embedded store's data directory,
 * writing one file. It opens {@code pixels.db} read-only and takes no lock, so it may run beside a
 * server that holds the directory (see docs/history.md).
 *
 * <p>Progress goes to {@code err}: a bar redrawn in place on a terminal, plain lines every 10 %
 * otherwise. Runs on the calling thread.
 */
public final class TimelapseCommand {
  static final String USAGE = """
      usage: java -jar pixels.jar timelapse --data DIR --from TIME --to TIME --out FILE [options]
        --data DIR          the DATA_DIR of an embedded (SQLite) store; read-only, may be in use by a server
        --from, --to TIME   ISO-8601 with an offset, e.g. 2025-01-18T19:00:00Z
        --out FILE          the output; .gif, .mp4 or .webm (the last two need ffmpeg on the PATH)
        --every-millis N    a frame per N ms of canvas time (default: 300 frames over the range)
        --every-pixels N    a frame after every N pixels placed inside the region
        --region x1,y1,x2,y2  default: the whole canvas
        --fps N             1..60, default 30
        --scale N           1..16, default 1
        --width N --height N  the canvas size when the store has no checkpoint yet (default 900x900)
        --palette LIST      the PALETTE the canvas was painted with, if not the default
      """;

  private TimelapseCommand() {}

  /** Runs the command with {@code args} (after the word {@code timelapse}) and returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    Map<String, String> options;
    try {
      options = options(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (options.containsKey("help")) {
      out.print(USAGE);
      return 0;
    }
    try (PixelStore store = PixelStores.sqliteReadOnly(Path.of(required(options, "data")))) {
      Optional<Checkpoint> checkpoint = store.latestCheckpoint();
      int width = checkpoint.map(Checkpoint::width).orElse(integer(options, "width", 900));
      int height = checkpoint.map(Checkpoint::height).orElse(integer(options, "height", 900));
      Palette palette = options.containsKey("palette") ? Palette.parse(options.get("palette")) : Palette.defaultPalette();
      Path output = Path.of(required(options, "out"));
      TimelapseRequest request = request(options, width, height, output);
      Ffmpeg ffmpeg = Ffmpeg.onPath("ffmpeg", System.getenv("PATH"));
      Path part = output.resolveSibling(output.getFileName() + ".part");
      Bar bar = new Bar(err, terminal, System::nanoTime);
      long startNanos = System.nanoTime();
      long startCpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      TimelapseRenderer renderer = new TimelapseRenderer(store, width, height);
      TimelapseRenderer.Result result;
      if (request.format().isVideo()) {
        Path tool = ffmpeg.locate().orElseThrow(() -> new TimelapseRequest.Invalid(
            request.format().extension() + " needs ffmpeg, which is not on the PATH; install it, or write a .gif"));
        result = render(renderer, request, new VideoFrames(tool, part, palette, request), bar, part);
      } else {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(part), 1 << 16)) {
          result = render(renderer, request, new GifFrames(file, palette, request), bar, part);
        }
      }
      Files.move(part, output, StandardCopyOption.REPLACE_EXISTING);
      bar.done();
      // The render runs on this thread: its CPU time is the cost, whatever else the machine runs.
      long cpuMillis = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - startCpu) / 1_000_000;
      long wallMillis = (System.nanoTime() - startNanos) / 1_000_000;
      out.println("wrote " + output + ": " + result.frames() + " frames, " + result.changes() + " pixels placed, "
          + Files.size(output) + " bytes in " + wallMillis + " ms (" + cpuMillis + " ms CPU)");
      return 0;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    } catch (StoreException | IOException e) {
      err.println("timelapse failed: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("timelapse interrupted");
      return 1;
    }
  }

  private static TimelapseRenderer.Result render(TimelapseRenderer renderer, TimelapseRequest request, FrameSink sink,
      Bar bar, Path part) throws IOException, InterruptedException {
    try {
      return renderer.render(request, sink, bar::update);
    } catch (IOException | InterruptedException | RuntimeException e) {
      sink.abort();
      Files.deleteIfExists(part);
      throw e;
    }
  }

  private static TimelapseRequest request(Map<String, String> o, int width, int height, Path output) {
    long from = instant(required(o, "from"), "--from");
    long to = instant(required(o, "to"), "--to");
    String name = output.getFileName().toString();
    String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
    TimelapseRequest.Format format = TimelapseRequest.Format.named(extension.toLowerCase(Locale.ROOT));
    if (format == null) {
      throw new IllegalArgumentException("--out must end in .gif, .mp4 or .webm");
    }
    Region region = new Region(0, 0, width - 1, height - 1);
    if (o.containsKey("region")) {
      String[] parts = o.get("region").split(",");
      if (parts.length != 4) {
        throw new IllegalArgumentException("--region is x1,y1,x2,y2");
      }
      int[] v = new int[4];
      for (int i = 0; i < 4; i++) {
        v[i] = parseInt(parts[i].trim(), "--region");
      }
      if (v[0] > v[2] || v[1] > v[3]) {
        throw new IllegalArgumentException("--region needs x1 <= x2 and y1 <= y2");
      }
      region = new Region(v[0], v[1], v[2], v[3]);
      if (!region.fitsIn(width, height)) {
        throw new IllegalArgumentException("--region must lie on the " + width + "x" + height + " canvas");
      }
    }
    if (o.containsKey("every-millis") && o.containsKey("every-pixels")) {
      throw new IllegalArgumentException("give at most one of --every-millis and --every-pixels");
    }
    TimelapseRequest.Interval interval;
    if (o.containsKey("every-pixels")) {
      interval = new TimelapseRequest.Interval.Pixels(parseLong(o.get("every-pixels"), "--every-pixels"));
    } else if (o.containsKey("every-millis")) {
      interval = new TimelapseRequest.Interval.Millis(parseLong(o.get("every-millis"), "--every-millis"));
    } else {
      interval = new TimelapseRequest.Interval.Millis(Math.max(1, (to - from + 298) / 299));
    }
    return new TimelapseRequest(region, from, to, interval, integer(o, "fps", 30), integer(o, "scale", 1), format);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        options.put("help", "");
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(arg + " needs a value");
      }
      if (!USAGE.contains("--" + name + " ") && !USAGE.contains("--" + name + ",")) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
      options.put(name, value);
    }
    return options;
  }

  private static String required(Map<String, String> o, String name) {
    String v = o.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v;
  }

  private static int integer(Map<String, String> o, String name, int fallback) {
    return o.containsKey(name) ? parseInt(o.get(name), "--" + name) : fallback;
  }

  private static int parseInt(String text, String what) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a whole number");
    }
  }

  private static long parseLong(String text, String what) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a whole number");
    }
  }

  private static long instant(String text, String what) {
    try {
      return Instant.from(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text)).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(what + " must be an ISO-8601 time with an offset, e.g. 2025-01-18T19:53:00Z");
    }
  }

  /** The progress display: a bar redrawn in place on a terminal, a line per 10 % otherwise. */
  static final class Bar {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final long start;
    private int shown = -1;

    Bar(PrintStream err, boolean terminal, LongSupplier nanoTime) {
      this.err = err;
      this.terminal = terminal;
      this.nanoTime = nanoTime;
      this.start = nanoTime.getAsLong();
    }

    void update(long done, long total) {
      int percent = total == 0 ? 100 : (int) (100 * done / total);
      if (terminal ? percent == shown : percent / 10 == shown / 10 && shown >= 0) {
        return;
      }
      shown = percent;
      double elapsed = (nanoTime.getAsLong() - start) / 1e9;
      String eta = done == 0 ? "?" : Long.toString(Math.round(elapsed * (total - done) / done));
      if (terminal) {
        int filled = percent * WIDTH / 100;
        err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + percent + " %  ETA " + eta + " s ");
      } else {
        err.println("timelapse: " + percent / 10 * 10 + " % (ETA " + eta + " s)");
      }
      err.flush();
    }

    void done() {
      if (terminal) {
        err.println();
      }
    }
  }
}
