package dev.pixels.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tables for one run and for the medians of several runs (Markdown, so they paste into
 * docs/benchmarks.md), and the targets checked against them.
 */
final class Report {
  private Report() {}

  /** Columns of the WebSocket table: key in the summary, header. */
  static final String[][] WS_COLUMNS = {
    {"offered_pps", "offered px/s"},
    {"accepted_pps", "accepted px/s"},
    {"rejected_pps", "rejected px/s"},
    {"bcast_p50_ms", "bcast p50"},
    {"bcast_p95_ms", "p95"},
    {"bcast_p99_ms", "p99"},
    {"bcast_max_ms", "max ms"},
    {"ack_p50_ms", "ack p50"},
    {"ack_p95_ms", "p95"},
    {"ack_p99_ms", "p99"},
    {"ack_max_ms", "max ms"},
    {"srv_store_commit_p99_ms", "srv commit p99"},
    {"srv_ack_delay_p99_ms", "srv ack p99"},
    {"complete", "complete"},
    {"dropped", "dropped"},
    {"missing_acked", "missing"},
    {"connect_all_s", "connect all s"},
    {"server_cores", "srv cores"},
    {"server_cpu_us_per_frame", "srv µs/frame"},
    {"server_sys_pct", "srv sys %"},
    {"server_rss_peak_mb", "srv RSS MB"},
    {"gen_cores", "gen cores"},
    {"other_cores", "other cores"},
    {"frames_in_ps", "frames/s"},
    {"mb_in_ps", "MB/s"},
    {"batch_px_p50", "px/batch p50"},
  };

  static final String[][] HTTP_COLUMNS = {
    {"canvas_gzip_rps", "gzip req/s"},
    {"canvas_gzip_p99_ms", "p99 ms"},
    {"canvas_gzip_body_bytes", "body B"},
    {"canvas_304_rps", "304 req/s"},
    {"canvas_304_p99_ms", "p99 ms"},
    {"image_rps", "PNG req/s"},
    {"image_p99_ms", "p99 ms"},
    {"image_body_bytes", "body B"},
    {"canvas_gzip_server_cores", "srv cores (gzip)"},
    {"canvas_gzip_server_cpu_us_per_req", "srv µs/response (gzip)"},
    {"canvas_gzip_gen_cores", "gen cores (gzip)"},
    {"canvas_gzip_other_cores", "other cores (gzip)"},
    {"server_rss_peak_mb", "srv RSS MB"},
  };

  /** One run: a two-column table of every summary figure. */
  static String single(JsonObject run) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%n## %s%s — %s%n%n", run.getString("profile"), label(run), run.getString("started")));
    sb.append("| metric | value |\n|---|---|\n");
    JsonObject s = run.getJsonObject("summary");
    for (String k : s.fieldNames()) {
      sb.append("| ").append(k).append(" | ").append(fmt(s.getValue(k))).append(" |\n");
    }
    JsonObject d = run.getJsonObject("details");
    for (String k : List.of("reject_reasons", "drop_reasons", "first_error", "first_connect_failure")) {
      Object v = d == null ? null : d.getValue(k);
      if (v != null && !(v instanceof JsonObject jo && jo.isEmpty())) {
        sb.append("| ").append(k).append(" | ").append(v).append(" |\n");
      }
    }
    sb.append("\nTargets: ").append(String.join("; ", targets(run.getString("profile"), s))).append('\n');
    return sb.toString();
  }

  private static String label(JsonObject run) {
    String l = run.getString("label", "");
    return l.isEmpty() ? "" : " [" + l + "]";
  }

  /** Medians over runs grouped by (label, profile): one table for WebSocket, one for HTTP. */
  static String medians(List<JsonObject> runs) {
    Map<String, List<JsonObject>> groups = new LinkedHashMap<>();
    List<String> order = List.of("prd", "busy", "crowd", "crowd-prd", "canvas");
    runs = new ArrayList<>(runs);
    runs.sort(
        java.util.Comparator.comparing((JsonObject r) -> r.getString("label", ""))
            .thenComparing(r -> order.indexOf(r.getString("profile")) < 0 ? 99 : order.indexOf(r.getString("profile")))
            .thenComparing(r -> r.getString("profile")));
    for (JsonObject r : runs) {
      groups.computeIfAbsent(r.getString("label", "") + "\u0000" + r.getString("profile"), k -> new ArrayList<>()).add(r);
    }
    StringBuilder ws = new StringBuilder();
    StringBuilder http = new StringBuilder();
    StringBuilder tg = new StringBuilder();
    StringBuilder servers = new StringBuilder();
    int maxInstances = 0;
    for (var e : groups.entrySet()) {
      List<JsonObject> g = e.getValue();
      String profile = g.get(0).getString("profile");
      String label = g.get(0).getString("label", "");
      JsonObject med = medianSummary(g);
      boolean isHttp = profile.equals("canvas");
      StringBuilder t = isHttp ? http : ws;
      String load = isHttp ? fmt(med.getValue("connections")) + " conns"
          : fmt(med.getValue("watchers")) + "w / " + fmt(med.getValue("painters")) + "p × " + fmt(med.getValue("rate_per_painter"));
      t.append("| ").append(profile).append(" | ").append(label).append(" | ").append(g.size()).append(" | ").append(load);
      for (String[] c : isHttp ? HTTP_COLUMNS : WS_COLUMNS) {
        Object v = med.getValue(c[0]);
        if (c[0].equals("complete")) {
          long n = g.stream().filter(r -> r.getJsonObject("summary").getInteger("complete", 0) == 1).count();
          v = n + "/" + g.size();
        }
        t.append(" | ").append(fmt(v));
      }
      t.append(" |\n");
      int instances = med.getValue("instances") instanceof Number n ? n.intValue() : 0;
      if (instances > 1) {
        maxInstances = Math.max(maxInstances, instances);
        servers.append("| ").append(profile).append(" | ").append(label).append(" | ").append(g.size());
        for (String[] c : serverColumns(instances)) {
          servers.append(" | ").append(fmt(med.getValue(c[0])));
        }
        servers.append(" |\n");
      }
      tg.append("- ").append(profile).append(label.isEmpty() ? "" : " (" + label + ")").append(": ")
          .append(String.join("; ", targets(profile, med))).append('\n');
    }
    StringBuilder sb = new StringBuilder();
    if (!ws.isEmpty()) {
      sb.append(header("profile | storage | runs | load", WS_COLUMNS)).append(ws).append('\n');
      sb.append("Latencies in ms (median of runs of each percentile); bcast = placement→broadcast seen by watchers, ack = placement→ack.\n\n");
    }
    if (!servers.isEmpty()) {
      sb.append(header("profile | storage | runs", serverColumns(maxInstances), 3)).append(servers).append('\n');
      sb.append("Each server of the cluster (medians): CPU in cores and peak RSS; its own p99s from /metrics ")
          .append("(commit = storing one batch of log entries, only on the log writer; ack = arrival→ack); ")
          .append("side = redis-server + dynalite.\n\n");
    }
    if (!http.isEmpty()) {
      sb.append(header("profile | storage | runs | load", HTTP_COLUMNS)).append(http).append('\n');
    }
    sb.append("Targets, on the medians:\n").append(tg);
    return sb.toString();
  }

  /** Columns of the per-server table of a cluster run with {@code n} instances. */
  static String[][] serverColumns(int n) {
    List<String[]> cols = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      cols.add(new String[] {"srv" + i + "_cores", "srv" + i + " cores"});
      cols.add(new String[] {"srv" + i + "_rss_peak_mb", "srv" + i + " RSS MB"});
      cols.add(new String[] {"srv" + i + "_store_commit_p99_ms", "srv" + i + " commit p99"});
      cols.add(new String[] {"srv" + i + "_ack_delay_p99_ms", "srv" + i + " ack p99"});
    }
    cols.add(new String[] {"side_cores", "side cores"});
    return cols.toArray(new String[0][]);
  }

  private static String header(String first, String[][] cols) {
    return header(first, cols, 4);
  }

  private static String header(String first, String[][] cols, int firstColumns) {
    StringBuilder sb = new StringBuilder("| ").append(first);
    StringBuilder sep = new StringBuilder("|---".repeat(firstColumns));
    for (String[] c : cols) {
      sb.append(" | ").append(c[1]);
      sep.append("|---");
    }
    return sb.append(" |\n").append(sep).append("|\n").toString();
  }

  static JsonObject medianSummary(List<JsonObject> runs) {
    JsonObject first = runs.get(0).getJsonObject("summary");
    JsonObject out = new JsonObject();
    for (String k : first.fieldNames()) {
      double[] vals =
          runs.stream()
              .map(r -> r.getJsonObject("summary").getValue(k))
              .filter(v -> v instanceof Number n && !Double.isNaN(n.doubleValue()))
              .mapToDouble(v -> ((Number) v).doubleValue())
              .sorted()
              .toArray();
      if (vals.length == 0) {
        out.putNull(k);
      } else {
        int n = vals.length;
        out.put(k, n % 2 == 1 ? vals[n / 2] : (vals[n / 2 - 1] + vals[n / 2]) / 2);
      }
    }
    return out;
  }

  /** The targets for a profile, each "name value ✓/✗". */
  static List<String> targets(String profile, JsonObject s) {
    List<String> t = new ArrayList<>();
    switch (profile) {
      case "prd" -> {
        t.add(check("bcast p95 ≤ 100 ms", s, "bcast_p95_ms", v -> v <= 100));
        t.add(check("bcast p99 ≤ 150 ms", s, "bcast_p99_ms", v -> v <= 150));
        if (s.getValue("instances") instanceof Number n && n.intValue() > 1) {
          t.add(check("ack p99 ≤ 100 ms", s, "ack_p99_ms", v -> v <= 100));
        }
        t.add(check("complete", s, "complete", v -> v == 1));
        t.add(check("0 acked missing", s, "missing_acked", v -> v == 0));
      }
      case "busy" -> {
        t.add(check("≥ 99% accepted", s, "accepted_pct", v -> v >= 99));
        t.add(check("ack p99 ≤ 100 ms", s, "ack_p99_ms", v -> v <= 100));
        t.add(check("bcast p99 ≤ 150 ms", s, "bcast_p99_ms", v -> v <= 150));
      }
      case "crowd" -> {
        t.add(check("all connected ≤ 30 s", s, "connect_all_s", v -> v <= 30));
        t.add(check("complete", s, "complete", v -> v == 1));
        t.add(check("bcast p99 ≤ 1 s", s, "bcast_p99_ms", v -> v <= 1000));
        t.add(check("server RSS ≤ 1 GB", s, "server_rss_peak_mb", v -> v <= 1024));
        t.add(check("≤ 4 µs server CPU per frame", s, "server_cpu_us_per_frame", v -> v <= 4));
        t.add(check("bcast p99 ≤ 250 ms", s, "bcast_p99_ms", v -> v <= 250));
      }
      case "crowd-prd" -> {
        t.add(check("complete", s, "complete", v -> v == 1));
        t.add(check("bcast p99 ≤ 250 ms", s, "bcast_p99_ms", v -> v <= 250));
        t.add(check("ack p99 ≤ 100 ms", s, "ack_p99_ms", v -> v <= 100));
      }
      case "canvas" -> {
        t.add(check("gzip ≥ 5,000 req/s", s, "canvas_gzip_rps", v -> v >= 5000));
        t.add(check("304 ≥ 20,000 req/s", s, "canvas_304_rps", v -> v >= 20000));
        t.add(check("PNG ≥ 500 req/s", s, "image_rps", v -> v >= 500));
      }
      default -> {}
    }
    return t;
  }

  private static String check(String name, JsonObject s, String key, java.util.function.DoublePredicate ok) {
    Object v = s.getValue(key);
    if (!(v instanceof Number n) || Double.isNaN(n.doubleValue())) {
      return name + ": n/a";
    }
    return name + ": " + fmt(v) + (ok.test(n.doubleValue()) ? " PASS" : " FAIL");
  }

  static String fmt(Object v) {
    if (v == null) {
      return "–";
    }
    if (v instanceof Double d) {
      if (d.isNaN()) {
        return "–";
      }
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return String.format(Locale.ROOT, "%,d", d.longValue());
      }
      return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.2f", d);
    }
    if (v instanceof Float f) {
      return fmt(f.doubleValue());
    }
    if (v instanceof Long || v instanceof Integer) {
      return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
    }
    return String.valueOf(v);
  }

  /** {@code summarize FILE...}: prints the medians table of the given run files. */
  static void summarize(String[] files) throws IOException {
    List<JsonObject> runs = new ArrayList<>();
    for (String f : files) {
      Path p = Path.of(f);
      if (Files.isDirectory(p)) {
        try (var s = Files.list(p)) {
          for (Path q : s.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
            runs.add(new JsonObject(Files.readString(q)));
          }
        }
      } else {
        runs.add(new JsonObject(Files.readString(p)));
      }
    }
    if (runs.isEmpty()) {
      System.err.println("no run files given: " + Arrays.toString(files));
      return;
    }
    System.out.print(medians(runs));
  }
}
