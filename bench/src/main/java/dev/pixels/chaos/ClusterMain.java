package dev.pixels.chaos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A cluster for load benchmarks: the fault campaign's {@link Cluster} (one redis-server, one
 * dynalite, N instances of the jar on free 127.0.0.1 ports) with every limit off and the server's
 * default canvas, kept up until this process is stopped.
 *
 * <p>Once every instance is ready it writes {@code cluster.env} in the output directory (shell
 * assignments: {@code URLS}, {@code PIDS}, {@code SIDE_PIDS}, {@code SIDE_NAMES}, one entry per
 * process, comma-separated) so that a script can point the load generator at the instances and
 * read their CPU. SIGTERM stops every process it started (a shutdown hook).
 *
 * <pre>
 * java -cp pixels-bench.jar dev.pixels.chaos.ClusterMain --root DIR --jar target/pixels.jar --out DIR
 *     [--instances 2] [--jvm-opts "-Xmx1g ..."]
 * </pre>
 */
public final class ClusterMain {
  /** Limits that Cluster does not already switch off, as scripts/bench.sh does for one server. */
  static final Map<String, String> NO_LIMITS =
      Map.of("RATE_LIMIT_BURST", "0", "RATE_LIMIT_IP_BURST", "0", "WS_MAX_MESSAGES_PER_SECOND", "0");

  private ClusterMain() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of("").toAbsolutePath();
    Path jar = null;
    Path out = null;
    int instances = 2;
    List<String> jvmOpts = List.of();
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--root" -> { root = Path.of(v).toAbsolutePath(); i++; }
        case "--jar" -> { jar = Path.of(v); i++; }
        case "--out" -> { out = Path.of(v); i++; }
        case "--instances" -> { instances = Integer.parseInt(v); i++; }
        case "--jvm-opts" -> {
          jvmOpts = Arrays.stream(v.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
          i++;
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (out == null || instances < 1 || instances > 16) {
      throw new IllegalArgumentException("--out DIR is required and --instances must be 1..16");
    }
    if (jar == null) {
      jar = root.resolve("target/pixels.jar");
    }
    Files.createDirectories(out);
    Cluster cluster = new Cluster(root, out, jar, instances, 0, 0, "bench-", jvmOpts, NO_LIMITS);
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
    cluster.startAll();
    List<String> urls = new ArrayList<>();
    for (Cluster.Proc p : cluster.instances) {
      urls.add("http://127.0.0.1:" + p.port);
    }
    String env =
        "URLS=" + String.join(",", urls) + "\n"
            + "PIDS=" + cluster.instances.stream().map(p -> Long.toString(p.process.pid())).collect(Collectors.joining(","))
            + "\n"
            + "SIDE_PIDS=" + cluster.redis.process.pid() + "," + cluster.dynalite.process.pid() + "\n"
            + "SIDE_NAMES=redis,dynalite\n";
    Path tmp = out.resolve("cluster.env.tmp");
    Files.writeString(tmp, env);
    Files.move(tmp, out.resolve("cluster.env"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    System.out.print(env);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
