package dev.pixels.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The canvas profile: closed-loop HTTP GETs over a fixed number of keep-alive connections
 * (default 64, spread over the event loops), one request in flight per connection.
 *
 * <p>Phases, each with its warm-up and measured duration: {@code GET /canvas} with
 * {@code Accept-Encoding: gzip}; the same with {@code If-None-Match} of the current ETag (304s);
 * {@code GET /canvas/image}. Bodies are counted, not decompressed or decoded. Before the phases,
 * {@code --prefill} random pixels are painted so that the snapshot is not a blank canvas.
 */
final class HttpLoad {
  record Phase(String name, String path, boolean gzip, boolean conditional, int expectStatus) {}

  static final List<Phase> PHASES =
      List.of(
          new Phase("canvas_gzip", "/canvas", true, false, 200),
          new Phase("canvas_304", "/canvas", true, true, 304),
          new Phase("image", "/canvas/image", false, false, 200));

  private final Options options;
  private final Vertx vertx;
  private final long prefill;

  HttpLoad(Options options, Vertx vertx, long prefill) {
    this.options = options;
    this.vertx = vertx;
    this.prefill = prefill;
  }

  /** One event loop's share of the connections. */
  static final class HttpWorker extends VerticleBase {
    final int conns;
    final Options o;
    HttpClientAgent client;
    Histogram latencyUs = new Histogram(Stats.MAX_US, 3);
    long ok;
    long bad;
    long bytes;
    String firstBad;

    HttpWorker(Options o, int conns) {
      this.o = o;
      this.conns = conns;
    }

    io.vertx.core.Context ctx() {
      return context;
    }

    @Override
    public Future<?> start() {
      client =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setKeepAlive(true)
                  .setDecompressionSupported(false)
                  .setDefaultHost(o.host())
                  .setDefaultPort(o.port()),
              new PoolOptions().setHttp1MaxSize(conns).setMaxWaitQueueSize(-1));
      return Future.succeededFuture();
    }

    /** Runs the phase on this loop: {@code conns} request loops until {@code endNanos}. */
    Future<Void> runPhase(Phase p, String etag, long measureFrom, long endNanos) {
      latencyUs = new Histogram(Stats.MAX_US, 3);
      ok = bad = bytes = 0;
      List<Future<Void>> loops = new ArrayList<>();
      for (int i = 0; i < conns; i++) {
        Promise<Void> done = Promise.promise();
        loop(p, etag, measureFrom, endNanos, done);
        loops.add(done.future());
      }
      return Future.join(loops).mapEmpty();
    }

    private void loop(Phase p, String etag, long measureFrom, long endNanos, Promise<Void> done) {
      long start = System.nanoTime();
      if (start >= endNanos) {
        done.complete();
        return;
      }
      long[] body = {0};
      client
          .request(HttpMethod.GET, p.path())
          .compose(
              req -> {
                if (p.gzip()) {
                  req.putHeader("Accept-Encoding", "gzip");
                }
                if (p.conditional() && etag != null) {
                  req.putHeader("If-None-Match", etag);
                }
                return req.send();
              })
          .compose(
              resp -> {
                resp.handler(b -> body[0] += b.length());
                return resp.end().map(v -> resp);
              })
          .onComplete(
              ar -> {
                long now = System.nanoTime();
                boolean measured = start >= measureFrom;
                if (ar.succeeded()) {
                  var resp = ar.result();
                  boolean good = resp.statusCode() == p.expectStatus();
                  if (good && p.gzip() && !p.conditional()) {
                    good = "gzip".equalsIgnoreCase(resp.getHeader("Content-Encoding"));
                  }
                  if (measured) {
                    if (good) {
                      ok++;
                      bytes += body[0];
                      latencyUs.recordValue(Math.min(Stats.MAX_US, (now - start) / 1000));
                    } else {
                      bad++;
                      if (firstBad == null) {
                        firstBad =
                            p.path() + " -> " + resp.statusCode() + " Content-Encoding="
                                + resp.getHeader("Content-Encoding");
                      }
                    }
                  }
                } else if (measured) {
                  bad++;
                  if (firstBad == null) {
                    firstBad = String.valueOf(ar.cause());
                  }
                }
                loop(p, etag, measureFrom, endNanos, done);
              });
    }
  }

  JsonObject run(Log log) throws Exception {
    Options o = options;
    String pid = o.serverPid > 0 ? Long.toString(o.serverPid) : null;
    ProcStats.RssSampler rss = pid == null ? null : new ProcStats.RssSampler(pid, 250);

    if (prefill > 0) {
      log.info("prefilling " + prefill + " random pixels over one WebSocket...");
      Options po = new Options();
      po.url = o.url;
      po.urls = java.util.List.of(o.url);
      po.profile = "prefill";
      po.watchers = 0;
      po.painters = 1;
      po.eventLoops = 1;
      po.painterLoop = false;
      po.heartbeatMs = 0;
      po.connectTimeoutMs = o.connectTimeoutMs;
      WsLoad ws = new WsLoad(po, vertx);
      ws.prefill(log, prefill);
    }

    int n = o.eventLoops;
    HttpWorker[] workers = new HttpWorker[n];
    for (int i = 0; i < n; i++) {
      int share = o.connections / n + (i < o.connections % n ? 1 : 0);
      workers[i] = new HttpWorker(o, Math.max(1, share));
      WsLoad.await(vertx.deployVerticle(workers[i]), 30_000);
    }

    JsonObject s = new JsonObject().put("connections", o.connections).put("prefill_pixels", prefill);
    JsonObject details = new JsonObject();
    for (Phase p : PHASES) {
      String etag = null;
      if (p.conditional()) {
        // The snapshot is rebuilt lazily (at most once per CANVAS_SNAPSHOT_MAX_AGE_MS): wait out one age.
        WsLoad.sleep(1500);
        etag = fetchEtag(workers[0], log);
      }
      long now = System.nanoTime();
      long measureFrom = now + o.warmupMs * 1_000_000L;
      long end = measureFrom + o.durationMs * 1_000_000L;
      log.info("phase " + p.name() + ": GET " + p.path() + (etag != null ? " If-None-Match " + etag : ""));
      List<Future<Void>> fs = new ArrayList<>();
      for (HttpWorker w : workers) {
        String tag = etag;
        Promise<Void> pr = Promise.promise();
        w.ctx().runOnContext(v -> w.runPhase(p, tag, measureFrom, end).onComplete(pr));
        fs.add(pr.future());
      }
      WsLoad.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
      double srv0 = pid == null ? Double.NaN : ProcStats.cpuSeconds(pid);
      double gen0 = ProcStats.cpuSeconds("self");
      long[] sys0 = ProcStats.machineTicks();
      WsLoad.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
      double srv1 = pid == null ? Double.NaN : ProcStats.cpuSeconds(pid);
      double gen1 = ProcStats.cpuSeconds("self");
      long[] sys1 = ProcStats.machineTicks();
      WsLoad.await(Future.join(fs), 60_000);
      Histogram h = new Histogram(Stats.MAX_US, 3);
      long ok = 0;
      long bad = 0;
      long bytes = 0;
      String firstBad = null;
      for (HttpWorker w : workers) {
        h.add(w.latencyUs);
        ok += w.ok;
        bad += w.bad;
        bytes += w.bytes;
        if (firstBad == null) {
          firstBad = w.firstBad;
        }
      }
      double secs = o.durationMs / 1000.0;
      String k = p.name();
      s.put(k + "_rps", WsLoad.round(ok / secs, 0));
      s.put(k + "_p50_ms", WsLoad.round(h.getValueAtPercentile(50) / 1000.0, 2));
      s.put(k + "_p99_ms", WsLoad.round(h.getValueAtPercentile(99) / 1000.0, 2));
      s.put(k + "_max_ms", WsLoad.round(h.getMaxValue() / 1000.0, 2));
      s.put(k + "_mb_ps", WsLoad.round(bytes / secs / 1e6, 2));
      s.put(k + "_body_bytes", ok == 0 ? 0 : bytes / ok);
      s.put(k + "_bad", bad);
      s.put(k + "_server_cores", WsLoad.round((srv1 - srv0) / secs, 2));
      // An HTTP response is this profile's delivered frame: the same cost per unit as the WebSocket profiles.
      s.put(k + "_server_cpu_us_per_req", ok == 0 ? 0 : WsLoad.round((srv1 - srv0) * 1e6 / ok, 2));
      s.put(k + "_gen_cores", WsLoad.round((gen1 - gen0) / secs, 2));
      if (sys0 != null && sys1 != null && sys1[1] > sys0[1]) {
        double busy = Runtime.getRuntime().availableProcessors() * (double) (sys1[0] - sys0[0]) / (sys1[1] - sys0[1]);
        s.put(k + "_other_cores", WsLoad.round(busy - (srv1 - srv0) / secs - (gen1 - gen0) / secs, 2));
      }
      details.put(k + "_first_bad", firstBad);
      details.put(k + "_hist_us", WsLoad.percentiles(h));
      log.info(String.format("  %s: %.0f req/s, p99 %.2f ms, %d bad", k, ok / secs, h.getValueAtPercentile(99) / 1000.0, bad));
    }
    s.put("server_rss_peak_mb", WsLoad.round(rss == null ? Double.NaN : rss.peakMiB(), 1));
    s.put("server_hwm_mb", WsLoad.round(pid == null ? Double.NaN : ProcStats.statusMiB(pid, "VmHWM"), 1));
    if (rss != null) {
      rss.close();
    }
    return new JsonObject().put("summary", s).put("details", details);
  }

  private String fetchEtag(HttpWorker w, Log log) throws Exception {
    Promise<String> p = Promise.promise();
    w.ctx().runOnContext(
        v ->
            w.client
                .request(HttpMethod.GET, "/canvas")
                .compose(req -> req.putHeader("Accept-Encoding", "gzip").send())
                .compose(resp -> resp.body().map(b -> resp.getHeader("ETag")))
                .onComplete(p));
    String etag = WsLoad.await(p.future(), 10_000);
    if (etag == null) {
      log.info("GET /canvas has no ETag: the 304 phase will count 200s as bad");
    }
    return etag;
  }
}
