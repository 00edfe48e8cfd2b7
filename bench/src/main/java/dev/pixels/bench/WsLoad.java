package dev.pixels.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The WebSocket profiles (prd, busy, crowd, crowd-prd): connect watchers, then painters, paint at a fixed
 * open-loop rate for warm-up plus duration, drain, and report.
 *
 * <p><b>Matching a broadcast to its placement.</b> Every pixel of a run goes to the next position
 * of the canvas (row-major, wrapping after width×height placements), so a position identifies
 * the placement; its send time is kept in one shared {@code long[width*height]}. A watcher that
 * sees {@code {"x":..,"y":..}} in a bulk update reads the send time of that position. This needs
 * no ack and works whether the ack or the broadcast arrives first.
 */
final class WsLoad {
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  final Options options;
  final Vertx vertx;
  final Worker[] workers;
  private final AtomicLong placements = new AtomicLong();
  private volatile long[] sentAt;
  private volatile int width;
  private volatile int height;
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;
  volatile boolean painting;
  private String[] palette = {"#000000", "#FF0000"};

  WsLoad(Options options, Vertx vertx) {
    this.options = options;
    this.vertx = vertx;
    this.workers = new Worker[options.generatorLoops()];
  }

  // ---------------------------------------------------------------- shared state used by workers

  boolean inWindow(long nanos) {
    return nanos >= windowStart && nanos < windowEnd;
  }

  synchronized void canvasSize(int w, int h) {
    if (sentAt == null) {
      width = w;
      height = h;
      sentAt = new long[w * h];
    }
  }

  int width() {
    return width;
  }

  int area() {
    return width * height;
  }

  long nextPlacement() {
    return placements.getAndIncrement();
  }

  String color(long g) {
    String[] p = palette;
    return p[(int) (g % p.length)];
  }

  void markSent(int pos, long nanos) {
    LONGS.setRelease(sentAt, pos, nanos);
  }

  long sentAt(long x, long y) {
    long[] s = sentAt;
    if (s == null || x < 0 || y < 0 || x >= width || y >= height) {
      return 0;
    }
    return (long) LONGS.getAcquire(s, (int) (y * width + x));
  }

  // ---------------------------------------------------------------- orchestration

  static Vertx newVertx(Options o) {
    io.vertx.core.transport.Transport t =
        switch (o.transport) {
          case "io_uring", "iouring" -> io.vertx.core.transport.Transport.IO_URING;
          case "nio" -> io.vertx.core.transport.Transport.NIO;
          default -> io.vertx.core.transport.Transport.EPOLL;
        };
    if (!t.available()) {
      System.err.println("transport " + t.name() + " unavailable (" + t.unavailabilityCause() + "), using NIO");
      t = io.vertx.core.transport.Transport.NIO;
    }
    return Vertx.builder()
        .with(
            new io.vertx.core.VertxOptions()
                .setEventLoopPoolSize(o.generatorLoops())
                .setBlockedThreadCheckInterval(10)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS))
        .withTransport(t)
        .build();
  }

  void deployWorkers() throws Exception {
    for (int i = 0; i < workers.length; i++) {
      workers[i] = new Worker(i, this);
      await(vertx.deployVerticle(workers[i]), 30_000);
    }
  }

  /** Fetches the palette so that painters use valid colours (keeps the default on failure). */
  void loadPalette(Log log) {
    HttpClientAgent http = vertx.createHttpClient();
    try {
      JsonObject body =
          await(
              http.request(HttpMethod.GET, options.port(), options.host(), "/palette")
                  .compose(req -> req.send())
                  .compose(resp -> resp.body())
                  .map(b -> new JsonObject(b)),
              10_000);
      JsonArray colors = body.getJsonArray("colors");
      if (colors != null && !colors.isEmpty()) {
        String[] p = new String[colors.size()];
        for (int i = 0; i < p.length; i++) {
          Object c = colors.getValue(i);
          p[i] = c instanceof JsonObject jo ? jo.getString("hex", jo.getString("color")) : String.valueOf(c);
        }
        palette = p;
      }
    } catch (Exception e) {
      log.info("GET /palette failed (" + e + "); painting with " + String.join(",", palette));
    } finally {
      http.close();
    }
  }

  /** Canvas profile: paints {@code count} random pixels over one connection, waits for the answers. */
  void prefill(Log log, long count) throws Exception {
    deployWorkers();
    loadPalette(log);
    connectShares(shares(1, 0, true, i -> false));
    Worker w = workers[0];
    if (sentAt == null) {
      throw new IllegalStateException("no canvas:state received from " + options.url);
    }
    await(onLoopF(w, x -> x.prefill(x.conns.get(0), count)), 300_000);
    Stats s = collect();
    log.info("prefill done: highest acked seq " + s.maxAckedSeq + ", rejected " + s.rejected);
    await(onLoopF(w, Worker::closeAll), 10_000);
  }

  JsonObject run(Log log) throws Exception {
    Options o = options;
    deployWorkers();
    loadPalette(log);

    List<String> pids = o.serverPids.stream().map(String::valueOf).toList();
    boolean noPid = pids.isEmpty();
    List<ProcStats.RssSampler> rss = pids.stream().map(p -> new ProcStats.RssSampler(p, 250)).toList();
    List<String> sidePids = o.sidePids.stream().map(String::valueOf).toList();

    // Watchers first (timed as "connect all"), then painters.
    int stride = o.latencyWatchers <= 0 ? Integer.MAX_VALUE : Math.max(1, (int) Math.ceil(o.watchers / (double) o.latencyWatchers));
    List<List<Conn>> watcherShares = shares(o.watchers, 0, false, i -> i % stride == 0);
    double cpuBeforeConnect = noPid ? Double.NaN : cpuSeconds(pids);
    log.info("connecting " + o.watchers + " watchers (" + o.connectConcurrency + " in flight)...");
    long t0 = System.nanoTime();
    connectShares(watcherShares);
    long connectNanos = System.nanoTime() - t0;
    double cpuConnect = noPid ? Double.NaN : cpuSeconds(pids) - cpuBeforeConnect;
    Stats afterWatchers = collect();
    log.info(
        String.format(
            "watchers connected in %.2f s (%d failed)", connectNanos / 1e9, afterWatchers.connectFailures));

    List<List<Conn>> painterShares = shares(o.painters, o.watchers, true, i -> false);
    connectShares(painterShares);
    log.info("painters connected; painting " + o.painters + " x " + o.rate + " px/s");
    if (sentAt == null) {
      throw new IllegalStateException("no canvas:state received from " + o.url);
    }

    // Paint: warm-up, then the measured window.
    painting = true;
    long tickMs = 5;
    for (Worker w : workers) {
      w.ctx().runOnContext(v -> w.startPainting(tickMs));
    }
    sleep(o.warmupMs);
    List<java.util.Map<String, Double>> metrics0 = scrapeAll();
    double[] perCpu0 = pids.stream().mapToDouble(ProcStats::cpuSeconds).toArray();
    double srvCpu0 = noPid ? Double.NaN : java.util.Arrays.stream(perCpu0).sum();
    double srvSys0 = pids.stream().mapToDouble(ProcStats::systemCpuSeconds).sum();
    double sideCpu0 = cpuSeconds(sidePids);
    double genCpu0 = ProcStats.cpuSeconds("self");
    long[] sys0 = ProcStats.machineTicks();
    long ws = System.nanoTime();
    windowStart = ws;
    log.info("measuring for " + o.durationMs / 1000.0 + " s");
    sleep(o.durationMs);
    long we = System.nanoTime();
    windowEnd = we;
    painting = false;
    double[] perCpu1 = pids.stream().mapToDouble(ProcStats::cpuSeconds).toArray();
    double srvCpu1 = noPid ? Double.NaN : java.util.Arrays.stream(perCpu1).sum();
    double srvSys1 = pids.stream().mapToDouble(ProcStats::systemCpuSeconds).sum();
    double sideCpu1 = cpuSeconds(sidePids);
    double genCpu1 = ProcStats.cpuSeconds("self");
    long[] sys1 = ProcStats.machineTicks();
    double windowS = (we - ws) / 1e9;
    List<java.util.Map<String, Double>> metrics1 = scrapeAll();
    JsonObject serverTimers = ServerMetrics.window(ServerMetrics.sum(metrics0), ServerMetrics.sum(metrics1));
    JsonArray timersByServer = new JsonArray();
    for (int i = 0; i < o.urls.size(); i++) {
      timersByServer.add(ServerMetrics.window(metrics0.get(i), metrics1.get(i)));
    }

    // Drain: every answer in, every live connection at the highest acked seq.
    long drainDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(o.drainMs);
    long drainStart = System.nanoTime();
    while (System.nanoTime() < drainDeadline) {
      long outstanding = 0;
      long minSeq = Long.MAX_VALUE;
      long maxAcked = -1;
      for (Worker w : workers) {
        long[] p = onLoop(w, Worker::progress);
        outstanding += p[0];
        minSeq = Math.min(minSeq, p[1]);
        maxAcked = Math.max(maxAcked, p[3]);
      }
      if (outstanding == 0 && minSeq >= maxAcked) {
        break;
      }
      sleep(100);
    }
    double drainS = (System.nanoTime() - drainStart) / 1e9;

    Stats total = collect();
    long live = 0;
    long behind = 0;
    long missing = 0;
    long unanswered = 0;
    for (Worker w : workers) {
      long max = total.maxAckedSeq;
      long[] t = onLoop(w, x -> x.finalTally(max));
      live += t[0];
      behind += t[1];
      missing += t[2];
      unanswered += t[3];
    }
    double[] hwms = pids.stream().mapToDouble(p -> ProcStats.statusMiB(p, "VmHWM")).toArray();
    double hwm = noPid ? Double.NaN : java.util.Arrays.stream(hwms).sum();
    double[] peaks = rss.stream().mapToDouble(ProcStats.RssSampler::peakMiB).toArray();
    double rssPeak = noPid ? Double.NaN : java.util.Arrays.stream(peaks).sum();
    rss.forEach(ProcStats.RssSampler::close);

    for (Worker w : workers) {
      try {
        await(onLoopF(w, Worker::closeAll), 10_000);
      } catch (Exception e) {
        // closing is best effort
      }
    }

    // ------------------------------------------------------------ the report
    JsonObject s = new JsonObject();
    s.put("watchers", o.watchers).put("painters", o.painters).put("rate_per_painter", o.rate)
        .put("painter_loop", workers.length > o.eventLoops);
    s.put("duration_s", round(windowS, 2)).put("warmup_s", o.warmupMs / 1000.0);
    s.put("offered_pps", round(total.offered / windowS, 1));
    s.put("accepted_pps", round(total.accepted / windowS, 1));
    s.put("rejected_pps", round(total.rejected / windowS, 1));
    s.put("skipped_pps", round(total.skipped / windowS, 1));
    s.put("accepted_pct", total.offered == 0 ? 0 : round(100.0 * total.accepted / total.offered, 2));
    putLatency(s, "bcast", total.broadcastUs);
    putLatency(s, "ack", total.ackUs);
    s.put("bcast_samples", total.broadcastUs.getTotalCount());
    s.put("latency_watchers", (o.watchers + stride - 1) / stride);
    s.put("gaps", total.gaps).put("missing_seqs", total.missingSeqs).put("overlaps", total.overlaps);
    s.put("count_mismatch", total.countMismatch);
    s.put("dropped", total.dropped);
    s.put("live_at_end", live).put("behind_at_end", behind).put("missing_acked", missing + total.missingSeqs);
    s.put("unanswered", unanswered);
    boolean complete =
        total.gaps == 0 && total.overlaps == 0 && total.dropped == 0 && behind == 0 && total.connectFailures == 0
            && total.malformed == 0 && total.countMismatch == 0 && total.binaryUndecoded == 0;
    s.put("complete", complete ? 1 : 0);
    s.put("connect_all_s", round(connectNanos / 1e9, 3));
    s.put("connect_p50_ms", round(total.connectUs.getValueAtPercentile(50) / 1000.0, 2));
    s.put("connect_p99_ms", round(total.connectUs.getValueAtPercentile(99) / 1000.0, 2));
    s.put("connect_failures", total.connectFailures);
    s.put("server_cpu_connect_s", round(cpuConnect, 2));
    s.put("server_cpu_s", round(srvCpu1 - srvCpu0, 2));
    s.put("server_cores", round((srvCpu1 - srvCpu0) / windowS, 2));
    // The kernel's part of the server's CPU: on loopback it includes much of the receivers' TCP work.
    s.put("server_sys_pct", noPid ? Double.NaN : round(100 * (srvSys1 - srvSys0) / (srvCpu1 - srvCpu0), 1));
    s.put("server_rss_peak_mb", round(rssPeak, 1));
    s.put("server_hwm_mb", round(hwm, 1));
    if (pids.size() > 1) {
      // Several servers: the figures above are their sums; each one's share follows.
      s.put("instances", pids.size());
      for (int i = 0; i < pids.size(); i++) {
        s.put("srv" + i + "_cores", round((perCpu1[i] - perCpu0[i]) / windowS, 2));
        s.put("srv" + i + "_rss_peak_mb", round(peaks[i], 1));
      }
    }
    double sideCores = sidePids.isEmpty() ? 0 : (sideCpu1 - sideCpu0) / windowS;
    if (!sidePids.isEmpty()) {
      s.put("side_cores", round(sideCores, 2));
    }
    s.put("gen_cores", round((genCpu1 - genCpu0) / windowS, 2));
    if (sys0 != null && sys1 != null && sys1[1] > sys0[1]) {
      int cpus = Runtime.getRuntime().availableProcessors();
      double busyCores = cpus * (double) (sys1[0] - sys0[0]) / (sys1[1] - sys0[1]);
      s.put("machine_busy_pct", round(100.0 * busyCores / cpus, 1));
      s.put("machine_cpus", cpus);
      // CPU used by neither the server nor the generator during the window (builds, tests, ...).
      s.put("other_cores", round(busyCores - (srvCpu1 - srvCpu0) / windowS - (genCpu1 - genCpu0) / windowS - sideCores, 2));
    }
    s.put("frames_in_ps", round(total.framesIn / windowS, 0));
    s.put("mb_in_ps", round(total.bytesIn / windowS / 1e6, 2));
    s.put("batches_in_ps", round(total.batchesIn / windowS, 0));
    s.put("avg_frame_bytes", total.framesIn == 0 ? 0 : round((double) total.bytesIn / total.framesIn, 1));
    s.put("frames_out_ps", round(total.framesOut / windowS, 0));
    s.put("server_cpu_us_per_frame", total.framesIn == 0 ? 0 : round((srvCpu1 - srvCpu0) * 1e6 / total.framesIn, 2));
    s.put("batch_px_p50", total.batchPixels.getValueAtPercentile(50));
    s.put("batch_px_max", total.batchPixels.getMaxValue());
    s.put("drain_s", round(drainS, 2));
    // The server's own split of the latency (from /metrics; bucket bounds, so coarse).
    for (String t : new String[] {"store_commit", "broadcast_send", "ack_delay"}) {
      JsonObject tj = serverTimers.getJsonObject(t);
      s.put("srv_" + t + "_mean_ms", tj == null ? null : tj.getValue("mean_ms"));
      s.put("srv_" + t + "_p99_ms", tj == null ? null : tj.getValue("p99_ms"));
    }
    if (o.urls.size() > 1) {
      for (int i = 0; i < o.urls.size(); i++) {
        for (String t : new String[] {"store_commit", "ack_delay"}) {
          JsonObject tj = timersByServer.getJsonObject(i).getJsonObject(t);
          s.put("srv" + i + "_" + t + "_p99_ms", tj == null ? null : tj.getValue("p99_ms"));
        }
      }
    }

    JsonObject details = new JsonObject();
    details.put("reject_reasons", new JsonObject(new java.util.LinkedHashMap<>(total.rejectReasons)));
    details.put("drop_reasons", new JsonObject(new java.util.LinkedHashMap<>(total.dropReasons)));
    details.put("first_error", total.firstError);
    details.put("first_connect_failure", total.firstConnectFailure);
    details.put("error_frames", total.errorFrames).put("malformed", total.malformed);
    details.put("unknown_answers", total.unknownAnswers);
    details.put("binary_undecoded", total.binaryUndecoded);
    details.put("heartbeats_in", total.heartbeatsIn);
    details.put("matched_pixels", total.matchedPixels).put("unmatched_pixels", total.unmatchedPixels);
    details.put("max_acked_seq", total.maxAckedSeq).put("max_seen_seq", total.maxSeenSeq);
    details.put("canvas", width + "x" + height);
    details.put("server_timers", serverTimers);
    if (o.urls.size() > 1) {
      details.put("server_timers_by_instance", timersByServer);
      details.put("urls", new JsonArray(o.urls.stream().map(Object::toString).toList()));
    }
    details.put("bcast_hist_us", percentiles(total.broadcastUs));
    details.put("ack_hist_us", percentiles(total.ackUs));
    return new JsonObject().put("summary", s).put("details", details);
  }

  private static void putLatency(JsonObject s, String name, org.HdrHistogram.Histogram h) {
    boolean empty = h.getTotalCount() == 0;
    s.put(name + "_p50_ms", empty ? null : round(h.getValueAtPercentile(50) / 1000.0, 2));
    s.put(name + "_p95_ms", empty ? null : round(h.getValueAtPercentile(95) / 1000.0, 2));
    s.put(name + "_p99_ms", empty ? null : round(h.getValueAtPercentile(99) / 1000.0, 2));
    s.put(name + "_max_ms", empty ? null : round(h.getMaxValue() / 1000.0, 2));
  }

  static JsonObject percentiles(org.HdrHistogram.Histogram h) {
    JsonObject j = new JsonObject();
    for (double p : new double[] {50, 90, 95, 99, 99.9, 100}) {
      j.put("p" + p, h.getTotalCount() == 0 ? null : h.getValueAtPercentile(p));
    }
    j.put("count", h.getTotalCount());
    return j;
  }

  static double round(double v, int digits) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return Double.NaN;
    }
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  /** The /metrics samples of every server, in the order of the URLs. */
  private List<java.util.Map<String, Double>> scrapeAll() {
    List<java.util.Map<String, Double>> out = new ArrayList<>();
    for (java.net.URI u : options.urls) {
      out.add(ServerMetrics.scrape(vertx, u));
    }
    return out;
  }

  private static double cpuSeconds(List<String> pids) {
    double sum = 0;
    for (String p : pids) {
      sum += ProcStats.cpuSeconds(p);
    }
    return sum;
  }

  /**
   * Splits connections {@code first..first+count-1} over the workers, round-robin, and each
   * worker's share evenly over the servers.
   */
  private List<List<Conn>> shares(int count, int first, boolean painter, java.util.function.IntPredicate sampled) {
    List<List<Conn>> s = new ArrayList<>();
    for (int i = 0; i < workers.length; i++) {
      s.add(new ArrayList<>());
    }
    // With a painter loop, watchers use the first options.eventLoops workers and painters the last.
    boolean apart = workers.length > options.eventLoops;
    int base = apart && painter ? options.eventLoops : 0;
    int loops = apart ? (painter ? 1 : options.eventLoops) : workers.length;
    for (int i = 0; i < count; i++) {
      s.get(base + i % loops)
          .add(new Conn(first + i, painter, !painter && sampled.test(i), options.target(i, loops)));
    }
    return s;
  }

  private void connectShares(List<List<Conn>> shares) throws Exception {
    int per = Math.max(1, options.connectConcurrency / workers.length);
    List<Future<Void>> fs = new ArrayList<>();
    for (int i = 0; i < workers.length; i++) {
      Worker w = workers[i];
      List<Conn> list = shares.get(i);
      fs.add(onLoopF(w, x -> x.connectAll(list, per)));
    }
    await(Future.join(fs), options.connectTimeoutMs + 30_000);
  }

  Stats collect() throws Exception {
    Stats total = new Stats();
    for (Worker w : workers) {
      total.merge(onLoop(w, x -> x.stats.copy()));
    }
    return total;
  }

  /** Runs {@code f} on the worker's event loop and waits for its result. */
  static <T> T onLoop(Worker w, Function<Worker, T> f) throws Exception {
    Promise<T> p = Promise.promise();
    w.ctx().runOnContext(
        v -> {
          try {
            p.complete(f.apply(w));
          } catch (Throwable t) {
            p.fail(t);
          }
        });
    return await(p.future(), 30_000);
  }

  static <T> Future<T> onLoopF(Worker w, Function<Worker, Future<T>> f) {
    Promise<T> p = Promise.promise();
    w.ctx().runOnContext(v -> f.apply(w).onComplete(p));
    return p.future();
  }

  static <T> T await(Future<T> f, long timeoutMs) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }

  static void sleep(long ms) throws InterruptedException {
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }
}
