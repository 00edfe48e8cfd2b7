package dev.pixels.bench;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line options of the load generator, with the defaults of each standard profile.
 *
 * <p>Every run is bounded: a duration, a warm-up, a drain timeout and a connect timeout, and the
 * target must be a loopback address.
 */
public final class Options {

  public String profile = "prd";
  public URI url = URI.create("http://127.0.0.1:8000");
  public int watchers;
  public int painters;
  /** Pixels per second per painter. */
  public double rate;
  public long durationMs;
  public long warmupMs;
  public long drainMs = 10_000;
  public long connectTimeoutMs = 120_000;
  /** Handshakes in flight at once, over all event loops. */
  public int connectConcurrency = 256;
  /** Event loops of the generator; default: one per core. */
  public int eventLoops = Runtime.getRuntime().availableProcessors();
  /** Watchers that parse every pixel for latency; the others only check seq continuity. */
  public int latencyWatchers = 1000;
  /** A painter stops sending (and counts it as skipped) while this many of its pixels await an answer. */
  public int maxInFlightPerPainter = 1024;
  /** Client heartbeat period per connection, 0 to rely on WebSocket ping/pong only. */
  public long heartbeatMs = 20_000;
  /** HTTP connections of the canvas profile. */
  public int connections = 64;
  /** Canvas profile: random pixels painted before the HTTP phases, so the snapshot is not blank. */
  public long prefill = 20_000;
  /** Server pid for CPU and RSS, 0 if unknown. */
  public long serverPid;
  /** Ask for the binary subprotocol (pixels.v1.bin). */
  public boolean binary;
  public Path outDir = Path.of("target", "bench");
  /** Free-text label written into the report (e.g. "embedded"). */
  public String label = "";
  /** Allow targets that are not loopback (never used here; kept off). */
  public boolean quiet;
  /** Netty transport of the generator: epoll (default), io_uring or nio. */
  public String transport = "epoll";

  static final String USAGE =
      """
      Usage: java -jar pixels-bench.jar [run] --url http://127.0.0.1:8000 --profile prd|busy|crowd|crowd-prd|canvas [options]
             java -jar pixels-bench.jar summarize FILE.json... (prints medians per profile and label)
             java -jar pixels-bench.jar jmh [JMH options]     (microbenchmarks)

      Options (defaults come from the profile):
        --watchers N            read-only WebSocket connections
        --painters M            painting WebSocket connections (one socket each)
        --rate R                pixels per second per painter
        --duration D            measured time (e.g. 60s, 500ms, 2m); canvas: per phase
        --warmup D              load before measuring (results ignored)
        --drain D               wait after the last pixel for acks and broadcasts (default 10s)
        --connect-timeout D     give up connecting after D (default 120s)
        --connect-concurrency N handshakes in flight (default 256)
        --event-loops N         generator event loops (default: cores)
        --latency-watchers N    watchers that time every pixel (default 1000, spread evenly)
        --heartbeat D           client heartbeat period, 0 = off (default 20s)
        --connections N         HTTP connections for the canvas profile (default 64)
        --prefill N             canvas profile: random pixels painted first (default 20000)
        --server-pid PID        read server CPU and RSS from /proc/PID
        --binary                ask for subprotocol pixels.v1.bin (binary bulk updates)
        --label TEXT            tag for the report (e.g. the STORAGE)
        --out DIR               JSON output directory (default target/bench)
        --transport T           generator transport: epoll (default), io_uring, nio
        --quiet                 no progress lines on stderr
      """;

  static Options parse(String[] args) {
    Map<String, String> kv = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + a);
      }
      String key = a.substring(2);
      String value;
      int eq = key.indexOf('=');
      if (eq >= 0) {
        value = key.substring(eq + 1);
        key = key.substring(0, eq);
      } else if (key.equals("binary") || key.equals("quiet") || key.equals("help")) {
        value = "true";
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for --" + key);
        }
        value = args[++i];
      }
      kv.put(key, value);
    }
    Options o = new Options();
    if (kv.containsKey("help")) {
      throw new IllegalArgumentException("");
    }
    o.profile = kv.getOrDefault("profile", "prd").toLowerCase(Locale.ROOT);
    o.applyProfileDefaults();
    for (var e : kv.entrySet()) {
      String v = e.getValue();
      switch (e.getKey()) {
        case "profile" -> {}
        case "url" -> o.url = URI.create(v);
        case "watchers" -> o.watchers = Integer.parseInt(v);
        case "painters" -> o.painters = Integer.parseInt(v);
        case "rate" -> o.rate = Double.parseDouble(v);
        case "duration" -> o.durationMs = millis(v);
        case "warmup" -> o.warmupMs = millis(v);
        case "drain" -> o.drainMs = millis(v);
        case "connect-timeout" -> o.connectTimeoutMs = millis(v);
        case "connect-concurrency" -> o.connectConcurrency = Integer.parseInt(v);
        case "event-loops" -> o.eventLoops = Integer.parseInt(v);
        case "latency-watchers" -> o.latencyWatchers = Integer.parseInt(v);
        case "heartbeat" -> o.heartbeatMs = millis(v);
        case "connections" -> o.connections = Integer.parseInt(v);
        case "prefill" -> o.prefill = Long.parseLong(v);
        case "server-pid" -> o.serverPid = Long.parseLong(v);
        case "binary" -> o.binary = Boolean.parseBoolean(v);
        case "label" -> o.label = v;
        case "out" -> o.outDir = Path.of(v);
        case "quiet" -> o.quiet = Boolean.parseBoolean(v);
        case "transport" -> o.transport = v.toLowerCase(Locale.ROOT);
        default -> throw new IllegalArgumentException("unknown option --" + e.getKey());
      }
    }
    o.validate();
    return o;
  }

  void applyProfileDefaults() {
    switch (profile) {
      case "prd" -> set(1000, 200, 1, 60_000, 5_000);
      case "busy" -> set(200, 500, 10, 30_000, 5_000);
      case "crowd" -> set(10_000, 10, 10, 30_000, 5_000);
      case "crowd-prd" -> set(10_000, 200, 1, 30_000, 5_000);
      case "canvas" -> set(0, 0, 0, 10_000, 2_000);
      default -> throw new IllegalArgumentException("unknown profile: " + profile);
    }
  }

  private void set(int w, int p, double r, long d, long warm) {
    watchers = w;
    painters = p;
    rate = r;
    durationMs = d;
    warmupMs = warm;
  }

  void validate() {
    if (!"http".equals(url.getScheme()) && !"ws".equals(url.getScheme())) {
      throw new IllegalArgumentException("--url must be http:// or ws:// (got " + url + ")");
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("--url has no host: " + url);
    }
    try {
      if (!InetAddress.getByName(url.getHost()).isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "refusing a non-loopback target " + url.getHost() + ": this generator only loads this machine");
      }
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("unknown host " + url.getHost());
    }
    if (watchers < 0 || painters < 0 || rate < 0 || durationMs <= 0 || warmupMs < 0) {
      throw new IllegalArgumentException("negative or zero sizes");
    }
    if (watchers + painters > 60_000) {
      throw new IllegalArgumentException("at most 60,000 connections");
    }
    if (durationMs > 3_600_000) {
      throw new IllegalArgumentException("--duration is capped at 1h");
    }
    if (eventLoops < 1 || connectConcurrency < 1 || connections < 1) {
      throw new IllegalArgumentException("--event-loops, --connect-concurrency, --connections must be >= 1");
    }
  }

  int port() {
    return url.getPort() > 0 ? url.getPort() : 80;
  }

  String host() {
    return url.getHost();
  }

  /** Parses 60s, 500ms, 2m, 1h, or a plain number of seconds. */
  static long millis(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    if (s.endsWith("ms")) {
      return Math.round(Double.parseDouble(s.substring(0, s.length() - 2)));
    }
    if (s.endsWith("s")) {
      return Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000);
    }
    if (s.endsWith("m")) {
      return Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000);
    }
    if (s.endsWith("h")) {
      return Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 3_600_000);
    }
    return Math.round(Double.parseDouble(s) * 1000);
  }
}
