package dev.pixels.bench;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
  /**
   * Every server of the run ({@code --url a,b,...}); the first is {@link #url}, which serves the
   * palette and the canvas profile. WebSocket connections are spread evenly over all of them.
   */
  public List<URI> urls = List.of(url);
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
  /** Every server pid ({@code --server-pid a,b,...}), one per URL; the first is {@link #serverPid}. */
  public List<Long> serverPids = List.of();
  /** Pids of processes beside the servers (e.g. redis-server, dynalite) whose CPU is reported apart. */
  public List<Long> sidePids = List.of();
  /** Ask for the binary subprotocol (pixels.v1.bin). */
  public boolean binary;
  public Path outDir = Path.of("target", "bench");
  /** Free-text label written into the report (e.g. "embedded"). */
  public String label = "";
  /** Allow targets that are not loopback (never used here; kept off). */
  public boolean quiet;
  /** Netty transport of the generator: epoll (default), io_uring or nio. */
  public String transport = "epoll";
  /**
   * Painters read and write on an event loop of their own, so that an ack is not timed behind the
   * generator's own reading of thousands of watchers' frames (a real painter does not share a
   * process with the crowd); off with {@code --painters-share-loops}.
   */
  public boolean painterLoop = true;

  static final String USAGE =
      """
      Usage: java -jar pixels-bench.jar [run] --url http://127.0.0.1:8000[,http://127.0.0.1:8001...] --profile prd|busy|crowd|crowd-prd|canvas [options]
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
        --url U1,U2,...         several servers (a cluster): watchers and painters spread evenly
                                over them; palette, /metrics of each, canvas profile on U1 only
        --server-pid PID        read server CPU and RSS from /proc/PID (several: PID1,PID2,... as --url)
        --side-pids PID,...     also report the CPU of these processes (e.g. redis, dynalite)
        --binary                ask for subprotocol pixels.v1.bin (binary bulk updates)
        --label TEXT            tag for the report (e.g. the STORAGE)
        --out DIR               JSON output directory (default target/bench)
        --transport T           generator transport: epoll (default), io_uring, nio
        --painters-share-loops  painters on the watchers' event loops (default: a loop of their own)
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
      } else if (key.equals("binary") || key.equals("quiet") || key.equals("help") || key.equals("painters-share-loops")) {
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
        case "url" -> {
          o.urls = Arrays.stream(v.split(",")).map(String::trim).filter(u -> !u.isEmpty()).map(URI::create).toList();
          if (o.urls.isEmpty()) {
            throw new IllegalArgumentException("--url is empty");
          }
          o.url = o.urls.get(0);
        }
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
        case "server-pid" -> {
          o.serverPids = pids(v);
          o.serverPid = o.serverPids.isEmpty() ? 0 : o.serverPids.get(0);
        }
        case "side-pids" -> o.sidePids = pids(v);
        case "binary" -> o.binary = Boolean.parseBoolean(v);
        case "label" -> o.label = v;
        case "out" -> o.outDir = Path.of(v);
        case "quiet" -> o.quiet = Boolean.parseBoolean(v);
        case "transport" -> o.transport = v.toLowerCase(Locale.ROOT);
        case "painters-share-loops" -> o.painterLoop = !Boolean.parseBoolean(v);
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

  private static List<Long> pids(String v) {
    return Arrays.stream(v.split(",")).map(String::trim).filter(p -> !p.isEmpty()).map(Long::parseLong)
        .filter(p -> p > 0).toList();
  }

  void validate() {
    for (URI u : urls) {
      validateUrl(u);
    }
    if (serverPids.size() > 1 && serverPids.size() != urls.size()) {
      throw new IllegalArgumentException("--server-pid lists " + serverPids.size() + " pids for " + urls.size() + " URLs");
    }
    validateSizes();
  }

  private static void validateUrl(URI url) {
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
  }

  private void validateSizes() {
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
    return port(url);
  }

  String host() {
    return url.getHost();
  }

  /** Event loops of the generator: {@link #eventLoops} for watchers, plus one for painters if apart. */
  int generatorLoops() {
    return eventLoops + (painterLoop && painters > 0 ? 1 : 0);
  }

  static int port(URI u) {
    return u.getPort() > 0 ? u.getPort() : 80;
  }

  /** The server (index into {@link #urls}) of connection {@code i} among {@code loops} event loops. */
  int target(int i, int loops) {
    // Connection i runs on loop i % loops; dividing first spreads each loop's share over every server too.
    return (i / loops) % urls.size();
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
