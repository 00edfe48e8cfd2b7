package dev.pixels.chaos;

import dev.pixels.chaos.History.Pixel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The fault campaign: starts a three-instance cluster (or, with {@code --mode single}, one
 * instance on SQLite), keeps clients painting and watching on every instance while the
 * {@link Nemesis} injects faults, then lets the cluster settle and runs the {@link Checker} on what
 * the clients saw and what the store holds. The single-node mode then starts the jar on damaged
 * copies of its database ({@link DamagedStart}).
 *
 * <pre>
 * java -cp pixels-bench.jar dev.pixels.chaos.ChaosMain [--mode cluster|single] [--duration 2m]
 *     [--seed 42|random] [--clients 240] [--rate 150] [--out DIR] [--jar target/pixels.jar]
 *     [--no-netns] [--tmpfs-size 64m] [--kinds instance-kill9,instance-partition]
 * </pre>
 */
public final class ChaosMain {
  private static final int WIDTH = 64;
  private static final int HEIGHT = 64;
  private static final int INSTANCES = 3;

  private ChaosMain() {}

  public static void main(String[] args) throws Exception {
    long durationMs = 120_000;
    long seed = 20261128L;
    int clients = 240;
    int rate = 150;
    Path root = Path.of("").toAbsolutePath();
    Path out = null;
    Path jar = null;
    String mode = "cluster";
    boolean netns = true;
    String tmpfsSize = "64m";
    List<String> only = null;
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--duration" -> { durationMs = parseDuration(v); i++; }
        case "--seed" -> { seed = v.equals("random") ? new SecureRandom().nextLong() : Long.parseLong(v); i++; }
        case "--clients" -> { clients = Integer.parseInt(v); i++; }
        case "--rate" -> { rate = Integer.parseInt(v); i++; }
        case "--out" -> { out = Path.of(v); i++; }
        case "--jar" -> { jar = Path.of(v); i++; }
        case "--root" -> { root = Path.of(v).toAbsolutePath(); i++; }
        case "--mode" -> { mode = v; i++; }
        case "--no-netns" -> netns = false;
        case "--tmpfs-size" -> { tmpfsSize = v; i++; }
        case "--kinds" -> { only = List.of(v.split(",")); i++; }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (out == null) {
      out = root.resolve("target/chaos/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
    if (jar == null) {
      jar = root.resolve("target/pixels.jar");
    }
    Files.createDirectories(out);
    if (!mode.equals("cluster") && !mode.equals("single")) {
      throw new IllegalArgumentException("--mode is cluster or single, not " + mode);
    }
    System.out.printf("chaos: mode %s, seed %d, duration %ds, %d clients, ~%d px/s, output %s%n", mode, seed,
        durationMs / 1000, clients, rate, out);
    System.out.printf("chaos: replay with --mode %s --seed %d --duration %ds%n", mode, seed, durationMs / 1000);
    int code = mode.equals("single")
        ? runSingle(out, jar, durationMs, seed, clients, rate, tmpfsSize, only)
        : runCluster(root, out, jar, durationMs, seed, clients, rate, netns, only);
    System.exit(code);
  }

  /** The nemesis's kinds: {@code all}, restricted to {@code only} when given (in the order of {@code all}). */
  static List<String> kinds(List<String> all, List<String> only) {
    if (only == null) {
      return all;
    }
    for (String k : only) {
      if (!all.contains(k)) {
        throw new IllegalArgumentException("--kinds: " + k + " is not one of " + all);
      }
    }
    return all.stream().filter(only::contains).toList();
  }

  private static int runCluster(Path root, Path out, Path jar, long durationMs, long seed, int clients, int rate,
      boolean useNetns, List<String> only) throws Exception {
    Netns netns = null;
    List<String> kinds = kinds(Nemesis.CLUSTER_KINDS, only);
    String why = useNetns ? Netns.unavailableReason() : "--no-netns";
    if (why == null) {
      try {
        netns = Netns.create(INSTANCES);
      } catch (RuntimeException e) {
        why = e.getMessage();
      }
    }
    if (netns == null) {
      System.out.println("chaos: no network namespaces (" + why + "): everything on 127.0.0.1, no instance-partition");
      kinds = kinds.stream().filter(k -> !k.equals("instance-partition")).toList();
      if (kinds.isEmpty()) {
        throw new IllegalStateException("--kinds leaves no fault this machine can inject");
      }
    } else {
      System.out.println("chaos: instances in network namespaces " + netns.name(0) + ".." + netns.name(INSTANCES - 1)
          + ", Redis and dynalite on " + netns.serviceAddress());
    }
    Cluster cluster;
    try {
      cluster = new Cluster(root, out, jar, INSTANCES, WIDTH, HEIGHT, netns);
    } catch (IOException | RuntimeException e) {
      if (netns != null) {
        netns.close();
      }
      throw e;
    }
    Thread hook = new Thread(cluster::close);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Checker.Result result = campaign(cluster, out, durationMs, seed, clients, rate, kinds, null).result;
      return result.passed() ? 0 : 1;
    } finally {
      cluster.close();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
  }

  private static int runSingle(Path out, Path jar, long durationMs, long seed, int clients, int rate,
      String tmpfsSize, List<String> only) throws Exception {
    Path data = out.resolve("data-0");
    Files.createDirectories(data);
    boolean mounted = mountTmpfs(data, tmpfsSize);
    List<String> kinds = kinds(Nemesis.SINGLE_KINDS, only);
    Nemesis.DiskFiller disk = null;
    if (mounted && kinds.stream().anyMatch(k -> k.startsWith("disk-full"))) {
      disk = new Nemesis.DiskFiller(data);
      System.out.println("chaos: the data directory " + data + " is a tmpfs of " + tmpfsSize);
    } else if (!mounted) {
      kinds = List.of("instance-kill9");
      System.out.println("chaos: cannot mount a tmpfs on " + data + " (root is needed): no disk-full faults");
    }
    Cluster cluster = Cluster.single(out, jar, WIDTH, HEIGHT, data);
    Thread hook = new Thread(() -> {
      cluster.close();
      if (mounted) {
        unmount(data);
      }
    });
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      Campaign c = campaign(cluster, out, durationMs, seed, clients, rate, kinds, disk);
      StringBuilder report = new StringBuilder();
      if (disk != null) {
        report.append("disk-full: what /ready said during and after each disk fault\n");
        c.nemesis.diskObservations.forEach(o -> report.append("  ").append(o).append('\n'));
        report.append("disk-full: instance log lines about the disk\n");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String line : Files.readAllLines(cluster.instances.get(0).log, StandardCharsets.UTF_8)) {
          String l = line.toLowerCase(java.util.Locale.ROOT);
          boolean aboutDisk = l.contains("space") || l.contains("full") || l.contains("disk") || l.contains("healthy")
              || l.contains("could not be committed") || l.contains("succeed again");
          // Repeats differ only in their time and counts; one of each shape is enough for the report.
          String shape = line.replaceAll("[0-9]+", "N");
          if (aboutDisk && seen.add(shape) && seen.size() <= 30) {
            report.append("  ").append(line.length() > 400 ? line.substring(0, 400) + "..." : line).append('\n');
          }
        }
      }
      DamagedStart damaged = new DamagedStart(cluster, out, seed);
      boolean refused = damaged.run(report);
      System.out.print(report);
      Files.writeString(out.resolve("single.txt"), report.toString());
      boolean passed = c.result.passed() && refused;
      System.out.println(passed ? "chaos: single node PASSED" : "chaos: single node FAILED");
      return passed ? 0 : 1;
    } finally {
      cluster.close();
      if (mounted) {
        unmount(data);
      }
      Runtime.getRuntime().removeShutdownHook(hook);
    }
  }

  private static boolean mountTmpfs(Path dir, String size) throws InterruptedException {
    try {
      Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs",
          dir.toString()).inheritIO().start();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static void unmount(Path dir) {
    try {
      new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor();
    } catch (IOException e) {
      System.err.println("cannot unmount " + dir + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A finished campaign: the nemesis that ran and the checker's verdict. */
  private record Campaign(Nemesis nemesis, Checker.Result result) {}

  private static Campaign campaign(Cluster cluster, Path out, long durationMs, long seed, int clients, int rate,
      List<String> kinds, Nemesis.DiskFiller disk) throws Exception {
    History history = new History();
    int instances = cluster.instances.size();
    Clients load = null;
    try {
      cluster.startAll();
      List<String> palette = palette(cluster);
      long t0 = System.currentTimeMillis();
      load = new Clients(cluster, history, palette, seed, t0);
      load.start(Math.max(1, clients / instances), rate);
      Thread.sleep(5000);
      Nemesis nemesis = new Nemesis(cluster, history, seed, load::now, kinds, disk);
      nemesis.run(load.now() + durationMs);
      System.out.printf("[%6.1fs] faults over; painting on for 15 s of recovery%n", load.now() / 1000.0);
      Thread.sleep(15_000);
      load.stopPainting();
      // Answers are due within DURABILITY_TIMEOUT_MS (5 s) of a pixel; then a quiet period.
      Thread.sleep(10_000);
      load.close();
      load = null;
      List<Checker.LogEntry> log = readLog(cluster);
      List<Checker.InstanceCanvas> canvases = finalCanvases(cluster, log);
      Checker checker = new Checker(WIDTH, HEIGHT, palette);
      Checker.Result result = checker.check(history, log, canvases, instances);
      writeHistory(out, history, log);
      String table = table(result, seed, durationMs, history);
      Files.writeString(out.resolve("checker.txt"), table + String.join("\n", result.problems()) + "\n");
      System.out.println(table);
      result.problems().forEach(p -> System.out.println("  " + p));
      System.out.println(result.passed() ? "chaos: checks 1-4 PASSED" : "chaos: checks 1-4 FAILED");
      return new Campaign(nemesis, result);
    } finally {
      if (load != null) {
        load.close();
      }
    }
  }

  private static List<String> palette(Cluster cluster) throws IOException, InterruptedException {
    JsonObject p = new JsonObject(new String(cluster.get(0, "/palette").body(), StandardCharsets.UTF_8));
    List<String> out = new ArrayList<>();
    for (Object c : p.getJsonArray("colors")) {
      out.add(c.toString().toUpperCase());
    }
    return out;
  }

  /** Every pixel entry of the log, paged newest first through the admin audit API of any instance that answers. */
  static List<Checker.LogEntry> readLog(Cluster cluster) throws IOException, InterruptedException {
    List<Checker.LogEntry> out = new ArrayList<>();
    String before = null;
    for (int page = 0; page < 100_000; page++) {
      String path = "/audit?limit=1000&x1=0&y1=0&x2=" + (cluster.width - 1) + "&y2=" + (cluster.height - 1)
          + (before == null ? "" : "&before=" + before);
      HttpResponse<byte[]> r = cluster.get(page % cluster.instances.size(), path);
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
      }
      JsonObject body = new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
      JsonArray entries = body.getJsonArray("entries");
      for (int i = 0; i < entries.size(); i++) {
        JsonObject e = entries.getJsonObject(i);
        if ("pixel".equals(e.getString("action"))) {
          out.add(new Checker.LogEntry(e.getLong("seq"),
              new Pixel(e.getInteger("x"), e.getInteger("y"), e.getString("color").toUpperCase())));
        }
      }
      Object next = body.getValue("next");
      if (next == null) {
        Collections.reverse(out);
        return out;
      }
      before = next.toString();
    }
    throw new IllegalStateException("the audit log did not end within 100,000 pages");
  }

  /** Each instance's canvas once its seq reached the log's last seq, or after 60 s of waiting for it. */
  private static List<Checker.InstanceCanvas> finalCanvases(Cluster cluster, List<Checker.LogEntry> log)
      throws InterruptedException {
    long last = log.stream().mapToLong(Checker.LogEntry::seq).max().orElse(0);
    List<Checker.InstanceCanvas> out = new ArrayList<>();
    for (int i = 0; i < cluster.instances.size(); i++) {
      Checker.InstanceCanvas c = new Checker.InstanceCanvas(i, -1, null);
      long deadline = System.currentTimeMillis() + 60_000;
      while (System.currentTimeMillis() < deadline) {
        try {
          HttpResponse<byte[]> r = cluster.get(i, "/canvas");
          if (r.statusCode() == 200) {
            long seq = Long.parseLong(r.headers().firstValue("X-Canvas-Seq").orElse("-1"));
            c = new Checker.InstanceCanvas(i, seq, r.body());
            if (seq == last) {
              break;
            }
          }
        } catch (IOException e) {
          System.out.println("GET /canvas on instance " + i + ": " + e);
        }
        Thread.sleep(500);
      }
      out.add(c);
    }
    return out;
  }

  private static void writeHistory(Path out, History h, List<Checker.LogEntry> log) throws IOException {
    try (PrintStream w = new PrintStream(Files.newOutputStream(out.resolve("sent.csv")), false, StandardCharsets.UTF_8)) {
      w.println("id,instance,x,y,color,sent_ms,outcome,seq,answered_ms,reject_reason");
      for (History.Sent s : h.sent) {
        w.printf("%s,%d,%d,%d,%s,%d,%s,%d,%d,\"%s\"%n", s.id, s.instance, s.pixel.x(), s.pixel.y(), s.pixel.color(),
            s.sentMillis, s.outcome, s.seq, s.answeredMillis, s.rejectReason.replace("\"", "'"));
      }
    }
    try (PrintStream w = new PrintStream(Files.newOutputStream(out.resolve("bulks.csv")), false, StandardCharsets.UTF_8)) {
      w.println("client,connection,instance,from_seq,to_seq,at_ms,pixels");
      for (History.Bulk b : h.bulks) {
        StringBuilder px = new StringBuilder();
        for (Pixel p : b.pixels()) {
          px.append(p.x()).append(':').append(p.y()).append(':').append(p.color()).append(' ');
        }
        w.printf("%d,%d,%d,%d,%d,%d,%s%n", b.client(), b.connection(), b.instance(), b.fromSeq(), b.toSeq(), b.atMillis(), px.toString().trim());
      }
    }
    try (PrintStream w = new PrintStream(Files.newOutputStream(out.resolve("events.csv")), false, StandardCharsets.UTF_8)) {
      w.println("event,who,detail,at_ms,until_ms");
      for (History.Fault f : h.faults) {
        w.printf("fault,%s,%s,%d,%d%n", f.target(), f.kind(), f.startMillis(), f.healedMillis());
      }
      for (History.Close c : h.closes) {
        w.printf("close,client-%d/conn-%d,%d,%d,%n", c.client(), c.connection(), c.code(), c.atMillis());
      }
      for (History.Resync r : h.resyncs) {
        w.printf("resync,client-%d/conn-%d,%d,%d,%n", r.client(), r.connection(), r.seq(), r.atMillis());
      }
    }
    try (PrintStream w = new PrintStream(Files.newOutputStream(out.resolve("log.csv")), false, StandardCharsets.UTF_8)) {
      w.println("seq,x,y,color");
      for (Checker.LogEntry e : log) {
        w.printf("%d,%d,%d,%s%n", e.seq(), e.pixel().x(), e.pixel().y(), e.pixel().color());
      }
    }
  }

  static String table(Checker.Result r, long seed, long durationMs, History h) {
    StringBuilder sb = new StringBuilder();
    long acked = h.sent.stream().filter(s -> s.outcome == History.Outcome.ACKED).count();
    long rejected = h.sent.stream().filter(s -> s.outcome == History.Outcome.REJECTED).count();
    long closes4002 = h.closes.stream().filter(c -> c.code() == 4002).count();
    sb.append(String.format("seed %d, faults for %d s; pixels sent %d, acked %d, rejected %d, unanswered %d; "
            + "final seq %d; bulk updates %d; closes %d (4002: %d); resyncs %d%n",
        seed, durationMs / 1000, h.sent.size(), acked, rejected, h.sent.size() - acked - rejected, r.finalSeq(),
        h.bulks.size(), h.closes.size(), closes4002, h.resyncs.size()));
    sb.append(String.format("%-18s %5s %10s %10s %10s %10s %12s %12s %10s%n", "fault", "count", "acked-lost",
        "taken-back", "told", "divergent", "recov-med-ms", "recov-max-ms", "accepted"));
    for (Map.Entry<String, Checker.FaultStats> e : r.faults().entrySet()) {
      Checker.FaultStats f = e.getValue();
      List<Long> rec = new ArrayList<>(f.recoveryMillis());
      Collections.sort(rec);
      boolean never = rec.contains(-1L);
      String med = rec.isEmpty() ? "-" : Long.toString(rec.get(rec.size() / 2));
      String max = never ? "never" : rec.isEmpty() ? "-" : Long.toString(rec.get(rec.size() - 1));
      String share = f.sentDuringFault() == 0 ? "-"
          : String.format("%.1f%%", 100.0 * f.ackedDuringFault() / f.sentDuringFault());
      sb.append(String.format("%-18s %5d %10s %10s %10s %10s %12s %12s %10s%n", e.getKey(), f.count(), "", "", "",
          "", med, max, share));
    }
    sb.append(String.format("%-18s %5d %10d %10d %10d %10d %12s %12s %10s%n", "all (run)",
        h.faults.size(), r.ackedLost(), r.watchersTakenBack(), r.watchersTakenBackAnnounced(),
        r.divergentInstances(), "", "", ""));
    return sb.toString();
  }

  private static long parseDuration(String v) {
    if (v.endsWith("ms")) {
      return Long.parseLong(v.substring(0, v.length() - 2));
    }
    char unit = v.charAt(v.length() - 1);
    return switch (unit) {
      case 's' -> Long.parseLong(v.substring(0, v.length() - 1)) * 1000;
      case 'm' -> Long.parseLong(v.substring(0, v.length() - 1)) * 60_000;
      case 'h' -> Long.parseLong(v.substring(0, v.length() - 1)) * 3_600_000;
      default -> Long.parseLong(v) * 1000;
    };
  }
}
