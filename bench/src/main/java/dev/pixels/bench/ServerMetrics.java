package dev.pixels.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server's own timers from {@code GET /metrics} (Prometheus text), scraped before and after
 * the measured window, so that a latency can be split into its parts: the group commit
 * ({@code pixels_store_commit_seconds}), the per-loop send of one frame to all of a loop's
 * clients ({@code pixels_broadcast_send_seconds}) and arrival→ack ({@code pixels_ack_delay_seconds}).
 * Quantiles come from the histogram buckets' deltas, so they are as coarse as those buckets.
 * A server without /metrics yields nothing.
 */
final class ServerMetrics {
  static final List<String> TIMERS =
      List.of("pixels_store_commit_seconds", "pixels_broadcast_send_seconds", "pixels_broadcast_encode_seconds", "pixels_ack_delay_seconds");

  private ServerMetrics() {}

  /** Every sample line of the first server as "name{labels}" → value; empty on any failure. */
  static Map<String, Double> scrape(Vertx vertx, Options o) {
    return scrape(vertx, o.url);
  }

  /** Every sample line of one server as "name{labels}" → value; empty on any failure. */
  static Map<String, Double> scrape(Vertx vertx, java.net.URI server) {
    HttpClientAgent http = vertx.createHttpClient();
    try {
      String body =
          WsLoad.await(
              http.request(HttpMethod.GET, Options.port(server), server.getHost(), "/metrics")
                  .compose(req -> req.send())
                  .compose(resp -> resp.statusCode() == 200 ? resp.body().map(b -> b.toString()) : io.vertx.core.Future.succeededFuture("")),
              10_000);
      Map<String, Double> m = new HashMap<>();
      for (String line : body.split("\n")) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        int sp = line.lastIndexOf(' ');
        if (sp <= 0) {
          continue;
        }
        try {
          m.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
        } catch (NumberFormatException e) {
          // skip
        }
      }
      return m;
    } catch (Exception e) {
      return Map.of();
    } finally {
      http.close();
    }
  }

  /** The samples of several servers added up, so that their histograms read as one. */
  static Map<String, Double> sum(List<Map<String, Double>> scrapes) {
    Map<String, Double> m = new HashMap<>();
    for (Map<String, Double> s : scrapes) {
      s.forEach((k, v) -> m.merge(k, v, Double::sum));
    }
    return m;
  }

  /** For each timer: count, mean, p50, p99 (ms) of the window between the two scrapes. */
  static JsonObject window(Map<String, Double> before, Map<String, Double> after) {
    JsonObject out = new JsonObject();
    if (after.isEmpty()) {
      return out;
    }
    for (String name : TIMERS) {
      double count = sum(after, name + "_count") - sum(before, name + "_count");
      double total = sum(after, name + "_sum") - sum(before, name + "_sum");
      if (count <= 0) {
        continue;
      }
      TreeMap<Double, Double> buckets = new TreeMap<>();
      for (var e : after.entrySet()) {
        String k = e.getKey();
        if (!k.startsWith(name + "_bucket{")) {
          continue;
        }
        double le = le(k);
        buckets.merge(le, e.getValue() - before.getOrDefault(k, 0.0), Double::sum);
      }
      JsonObject t = new JsonObject().put("count", (long) count).put("mean_ms", WsLoad.round(total / count * 1000, 3));
      t.put("p50_ms", quantile(buckets, count, 0.50)).put("p99_ms", quantile(buckets, count, 0.99));
      out.put(name.replace("pixels_", "").replace("_seconds", ""), t);
    }
    return out;
  }

  private static double sum(Map<String, Double> m, String prefix) {
    double s = 0;
    for (var e : m.entrySet()) {
      String k = e.getKey();
      if (k.equals(prefix) || k.startsWith(prefix + "{")) {
        s += e.getValue();
      }
    }
    return s;
  }

  private static double le(String key) {
    int i = key.indexOf("le=\"");
    if (i < 0) {
      return Double.POSITIVE_INFINITY;
    }
    String v = key.substring(i + 4, key.indexOf('"', i + 4));
    return v.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(v);
  }

  /** Upper bound (ms) of the first cumulative bucket holding quantile q; null if unknown. */
  private static Double quantile(TreeMap<Double, Double> cumulative, double count, double q) {
    List<Map.Entry<Double, Double>> list = new ArrayList<>(cumulative.entrySet());
    for (var e : list) {
      if (e.getValue() >= q * count) {
        return e.getKey().isInfinite() ? null : WsLoad.round(e.getKey() * 1000, 3);
      }
    }
    return null;
  }
}
