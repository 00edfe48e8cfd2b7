package dev.pixels.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * Entry point of {@code pixels-bench.jar}: the load generator ({@code run}, the default), the
 * medians of saved runs ({@code summarize}), and JMH ({@code jmh}).
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("summarize")) {
      Report.summarize(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("jmh")) {
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    String[] a = args.length > 0 && args[0].equals("run") ? Arrays.copyOfRange(args, 1, args.length) : args;
    Options o;
    try {
      o = Options.parse(a);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        System.err.println("error: " + e.getMessage());
      }
      System.err.print(Options.USAGE);
      System.exit(2);
      return;
    }
    JsonObject run = run(o, a);
    System.out.print(Report.single(run));
    System.exit(0);
  }

  private static String urls(Options o) {
    return String.join(",", o.urls.stream().map(Object::toString).toList());
  }

  static String loadavg() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** Runs one profile, writes its JSON under the output directory and returns it. */
  static JsonObject run(Options o, String[] args) throws Exception {
    Log log = new Log(o.quiet);
    ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
    Vertx vertx = WsLoad.newVertx(o);
    JsonObject result;
    try {
      log.info(
          "profile " + o.profile + " against " + urls(o) + " (" + o.eventLoops + " event loops" + (o.generatorLoops() > o.eventLoops ? " + 1 for painters" : "")
              + ", transport "
              + ((io.vertx.core.internal.VertxInternal) vertx).transport().getClass().getSimpleName() + ")");
      if (o.profile.equals("canvas")) {
        result = new HttpLoad(o, vertx, o.prefill).run(log);
      } else {
        result = new WsLoad(o, vertx).run(log);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    JsonObject out =
        new JsonObject()
            .put("profile", o.profile)
            .put("label", o.label)
            .put("url", urls(o))
            .put("started", started.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
            .put("args", new JsonArray(Arrays.asList((Object[]) args)))
            .put("server_pid", o.serverPid)
            .put("loadavg_at_end", loadavg())
            .put(
                "machine",
                new JsonObject()
                    .put("cpus", Runtime.getRuntime().availableProcessors())
                    .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"))
                    .put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version")))
            .mergeIn(result);
    Files.createDirectories(o.outDir);
    String name =
        o.profile + (o.label.isEmpty() ? "" : "-" + o.label.replaceAll("[^A-Za-z0-9_.-]", "_")) + "-"
            + started.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json";
    Path file = o.outDir.resolve(name);
    Files.writeString(file, out.encodePrettily());
    log.info("wrote " + file);
    return out;
  }
}
