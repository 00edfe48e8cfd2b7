package dev.pixels.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

  private static String metrics(TestServer server, String... headers) {
    HttpResponse<byte[]> response = server.get("/metrics", headers);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** The value of the sample whose name and labels start with {@code series}, e.g. {@code pixels_accepted_total}. */
  private static double sample(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
    if (!m.find()) {
      Matcher labelled = Pattern.compile("(?m)^" + Pattern.quote(series) + "[^ ]* ([0-9.eE+-]+)$").matcher(text);
      assertThat(labelled.find()).as("series %s in%n%s", series, text).isTrue();
      return Double.parseDouble(labelled.group(1));
    }
    return Double.parseDouble(m.group(1));
  }

  @Test
  void metricsCountAcceptedAndRejectedPixelsConnectionsAndRestRequestsNextToTheJvmFamilies() {
    try (TestServer server = TestServer.start()) {
      try (WsClient a = server.connect(); WsClient b = server.connect()) {
        a.next("canvas:state");
        b.next("canvas:state");
        for (int i = 0; i < 5; i++) {
          assertThat(a.answerTo(a.paint(i, 0, "#FF0000")).getString("type")).isEqualTo("pixel:ack");
        }
        assertThat(a.answerTo(a.paint(5000, 0, "#FF0000")).getJsonObject("data").getString("reason"))
            .isEqualTo("out_of_bounds");
        assertThat(a.answerTo(a.paint(1, 1, "#123457")).getJsonObject("data").getString("reason"))
            .isEqualTo("invalid_color");
        server.get("/palette");

        String text = metrics(server);
        assertThat(sample(text, "pixels_accepted_total")).isEqualTo(5);
        assertThat(sample(text, "pixels_rejected_total{reason=\"out_of_bounds\"}")).isEqualTo(1);
        assertThat(sample(text, "pixels_rejected_total{reason=\"invalid_color\"}")).isEqualTo(1);
        assertThat(sample(text, "pixels_rejected_total{reason=\"rate_limited\"}")).isZero();
        assertThat(sample(text, "pixels_ws_connections")).isEqualTo(2);
        assertThat(sample(text, "pixels_ws_connects_total")).isEqualTo(2);
        assertThat(sample(text, "pixels_canvas_seq")).isEqualTo(5);
        assertThat(sample(text, "pixels_ack_delay_seconds_count")).isEqualTo(5);
        assertThat(sample(text, "pixels_batch_size_pixels_sum")).isEqualTo(5);
        assertThat(sample(text, "pixels_store_commit_seconds_count{store=\"memory\"}")).isPositive();
        assertThat(sample(text, "pixels_broadcast_encode_seconds_count")).isPositive();
        assertThat(sample(text, "pixels_broadcast_send_seconds_count")).isPositive();
        assertThat(text).contains("pixels_http_requests_seconds_count{method=\"GET\",route=\"/palette\",status=\"200\"} 1");
        assertThat(text).contains("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads");
      }
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        String text = metrics(server);
        assertThat(sample(text, "pixels_ws_connections")).isZero();
        assertThat(sample(text, "pixels_ws_disconnects_total{reason=\"normal\"}")).isEqualTo(2);
      });
    }
  }

  @Test
  void withAMetricsTokenAScrapeWithoutTheRightBearerTokenIsRefused() {
    try (TestServer server = TestServer.start(Map.of("METRICS_TOKEN", "s3cret-token"))) {
      assertThat(server.get("/metrics").statusCode()).isEqualTo(401);
      assertThat(server.get("/metrics", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
      assertThat(server.get("/metrics", "Authorization", "Bearer s3cret-token-longer").statusCode()).isEqualTo(401);
      assertThat(metrics(server, "Authorization", "Bearer s3cret-token")).contains("pixels_accepted_total");
    }
  }

  @Test
  void everyResponseCarriesARequestIdAndAPlainCallerIdIsKept() {
    try (TestServer server = TestServer.start()) {
      assertThat(server.get("/health").headers().firstValue("X-Request-Id")).isPresent();
      assertThat(server.get("/health", "X-Request-Id", "lb-1234").headers().firstValue("X-Request-Id"))
          .hasValue("lb-1234");
      assertThat(server.get("/health", "X-Request-Id", "evil\"id with spaces").headers().firstValue("X-Request-Id"))
          .hasValueSatisfying(id -> assertThat(id).doesNotContain(" "));
    }
  }

  @Test
  void rateLimitRefusalsAreCountedByTheLimiterThatRefused() {
    try (TestServer server = TestServer.start(java.util.Map.of(
            "RATE_LIMIT_PER_SECOND", "1", "RATE_LIMIT_BURST", "1", "RATE_LIMIT_PER_MINUTE", "0"));
        dev.pixels.testing.WsClient painter = server.connect()) {
      assertThat(painter.answerTo(painter.paint(1, 1, "#000000")).getString("type")).isEqualTo("pixel:ack");
      assertThat(painter.answerTo(painter.paint(2, 2, "#000000")).getJsonObject("data").getString("reason"))
          .isEqualTo("rate_limited");
      String metrics = new String(server.get("/metrics").body(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(metrics).contains("pixels_rate_limited_total{limiter=\"user_bucket\"} 1.0")
          .contains("pixels_rate_limited_total{limiter=\"minute_window\"} 0.0");
    }
  }
}
