package dev.pixels.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadGeneratorTest {
  @TempDir Path out;

  @Test
  void scanParsesTheFieldsItNeeds() {
    byte[] b =
        "{\"type\":\"pixel:bulk_update\",\"data\":{\"pixels\":[{\"x\":3,\"y\":14,\"color\":\"#FF0000\"}],\"hash\":\"ab\",\"fromSeq\":41,\"toSeq\":41},\"timestamp\":\"t\"}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(Scan.lastLongField(b, 0, b.length, Scan.key("fromSeq"))).isEqualTo(41);
    assertThat(Scan.lastLongField(b, 0, b.length, Scan.key("toSeq"))).isEqualTo(41);
    assertThat(Scan.longField(b, 0, b.length, Scan.key("y"))).isEqualTo(14);
    byte[] ack = "{\"type\":\"pixel:reject\",\"data\":{\"id\":\"17\",\"x\":1,\"y\":2,\"reason\":\"rate_limited\",\"retryAfterMs\":5}}".getBytes(StandardCharsets.UTF_8);
    assertThat(Scan.longField(ack, 0, ack.length, Scan.key("id"))).isEqualTo(17);
    assertThat(Scan.stringField(ack, 0, ack.length, Scan.key("reason"))).isEqualTo("rate_limited");
    assertThat(Scan.longField(ack, 0, ack.length, Scan.key("seq"))).isEqualTo(Long.MIN_VALUE);
    assertThat(Options.millis("1.5s")).isEqualTo(1500);
    assertThat(Options.millis("250ms")).isEqualTo(250);
    assertThat(Options.millis("2m")).isEqualTo(120_000);
  }

  @Test
  void binaryHeaderFieldsOfTheProtocolTestVector() {
    // docs/protocol.md, "Test vector": seqs 7..8, timestamp 1737230000000, count 2.
    java.util.HexFormat hex = java.util.HexFormat.of();
    byte[] f =
        hex.parseHex(
            "01010000" + "0000000000000007" + "0000000000000008" + "000001947afa1f80"
                + "62c996b4a88954d6a7df174dbfde1f44d526352344062c314058d41adfdebbbc" + "00000002"
                + "006400c807" + "0000038300");
    assertThat(f).hasSize(74);
    assertThat(Worker.u64(f, 4)).isEqualTo(7);
    assertThat(Worker.u64(f, 12)).isEqualTo(8);
    assertThat(Worker.u64(f, 20)).isEqualTo(1_737_230_000_000L);
    assertThat(Worker.u32(f, 60)).isEqualTo(2);
  }

  @Test
  void websocketProfileAgainstAFakeServerIsComplete() throws Exception {
    try (FakeServer fake = new FakeServer()) {
      int port = fake.start();
      Options o =
          Options.parse(
              new String[] {
                "--url", "http://127.0.0.1:" + port, "--profile", "prd", "--watchers", "30", "--painters", "6",
                "--rate", "40", "--duration", "2s", "--warmup", "500ms", "--drain", "5s", "--out", out.toString(),
                "--latency-watchers", "10", "--quiet", "--server-pid", Long.toString(ProcessHandle.current().pid())
              });
      JsonObject run = Main.run(o, new String[0]);
      JsonObject s = run.getJsonObject("summary");
      System.out.println(Report.single(run));
      assertThat(s.getInteger("complete")).as(run.encodePrettily()).isEqualTo(1);
      assertThat(s.getDouble("offered_pps")).isBetween(200.0, 280.0);
      assertThat(s.getDouble("accepted_pct")).isGreaterThan(99.0);
      assertThat(s.getLong("bcast_samples")).isGreaterThan(1000L);
      assertThat(s.getDouble("bcast_p99_ms")).isLessThan(1000.0);
      assertThat(s.getLong("gaps")).isZero();
      assertThat(s.getLong("dropped")).isZero();
      assertThat(s.getLong("latency_watchers")).isEqualTo(10);
      assertThat(run.getJsonObject("details").getLong("unmatched_pixels")).isZero();
      assertThat(s.getDouble("server_cpu_s")).isNotNaN();
      assertThat(out.toFile().list()).hasSize(1);
    }
  }

  @Test
  void websocketProfileSpreadOverTwoServersOfOneCanvasIsCompleteAndSplitEvenly() throws Exception {
    try (FakeServer fake = new FakeServer()) {
      int port1 = fake.start();
      int port2 = fake.startAnother();
      long self = ProcessHandle.current().pid();
      Options o =
          Options.parse(
              new String[] {
                "--url", "http://127.0.0.1:" + port1 + ",http://127.0.0.1:" + port2, "--profile", "prd",
                "--watchers", "40", "--painters", "8", "--rate", "30", "--duration", "2s", "--warmup", "500ms",
                "--drain", "5s", "--out", out.toString(), "--quiet", "--event-loops", "2",
                "--server-pid", self + "," + self, "--side-pids", Long.toString(self)
              });
      JsonObject run = Main.run(o, new String[0]);
      JsonObject s = run.getJsonObject("summary");
      assertThat(s.getInteger("complete")).as(run.encodePrettily()).isEqualTo(1);
      assertThat(s.getLong("missing_acked")).isZero();
      assertThat(s.getLong("bcast_samples")).isGreaterThan(1000L);
      assertThat(fake.connectionsByPort).containsEntry(port1, 24).containsEntry(port2, 24);
      assertThat(s.getInteger("instances")).isEqualTo(2);
      assertThat(s.getDouble("srv0_cores")).isNotNaN();
      assertThat(s.getDouble("srv1_cores")).isNotNaN();
      assertThat(s.getValue("side_cores")).isNotNull();
      assertThat(Report.medians(java.util.List.of(run))).contains("srv1 cores").contains("ack p99 ≤ 100 ms");
    }
  }

  @Test
  void aServerPidPerUrlIsRequiredWhenSeveralAreGiven() {
    assertThatThrownBy(
            () -> Options.parse(new String[] {"--url", "http://127.0.0.1:1,http://127.0.0.1:2", "--server-pid", "1,2,3"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Options.parse(new String[] {"--url", "http://127.0.0.1:1,http://10.0.0.1:2"}))
        .hasMessageContaining("non-loopback");
  }

  @Test
  void canvasProfileAgainstAFakeServer() throws Exception {
    try (FakeServer fake = new FakeServer()) {
      int port = fake.start();
      Options o =
          Options.parse(
              new String[] {
                "--url", "http://127.0.0.1:" + port, "--profile", "canvas", "--connections", "8", "--duration", "1s",
                "--warmup", "200ms", "--prefill", "300", "--out", out.toString(), "--quiet"
              });
      JsonObject run = Main.run(o, new String[0]);
      JsonObject s = run.getJsonObject("summary");
      System.out.println(Report.single(run));
      assertThat(s.getDouble("canvas_gzip_rps")).isGreaterThan(100.0);
      assertThat(s.getLong("canvas_gzip_bad")).isZero();
      assertThat(s.getDouble("canvas_304_rps")).isGreaterThan(100.0);
      assertThat(s.getLong("canvas_304_bad")).isZero();
      assertThat(s.getLong("image_bad")).isZero();
      assertThat(fake.seq).isEqualTo(300);
    }
  }
}
