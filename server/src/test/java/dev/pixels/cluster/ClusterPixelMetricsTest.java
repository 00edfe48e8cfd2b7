package dev.pixels.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Palette;
import dev.pixels.testing.ClusterFixture;
import dev.pixels.testing.TcpProxy;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pixel-path meters of {@code /metrics} move when pixels go through a cluster instance (Redis
 * and DynamoDB), as they do through the single-instance batcher: painted and acked pixels, a store
 * that hangs for a while (store errors, pixels pending), and the pixels answered after it recovers.
 */
class ClusterPixelMetricsTest {
  private static final int SIZE = 32;
  private static final Palette PALETTE = Palette.defaultPalette();
  private static final int PAINTED = 5;
  private static final int DURING_HANG = 3;

  private ClusterFixture backends;
  private TcpProxy storeProxy;
  private TestServer server;
  private WsClient painter;

  @BeforeEach
  void startBackends() {
    backends = ClusterFixture.start();
    EmptySharedCanvas.install(backends.redis(), SIZE, SIZE);
    storeProxy = new TcpProxy(backends.dynalite().port());
  }

  @AfterEach
  void stopEverything() {
    if (painter != null) {
      painter.close();
    }
    if (server != null) {
      server.close();
    }
    storeProxy.close();
    backends.close();
  }

  @Test
  void everyPixelPathMeterMovesWhenPaintingThroughAClusterInstance() throws InterruptedException {
    Map<String, String> env = backends.env(backends.dynalite().tablePrefix(), SIZE);
    env.put("DYNAMODB_ENDPOINT", "http://127.0.0.1:" + storeProxy.port());
    env.put("BATCH_INTERVAL_MS", "20");
    // Also each store call's timeout: a hung store fails a call after a second.
    env.put("DURABILITY_TIMEOUT_MS", "1000");
    server = TestServer.start(env);
    painter = server.connect("");

    for (int i = 0; i < PAINTED; i++) {
      JsonObject answer = painter.answerTo(painter.paint(i, 0, PALETTE.colors().get(i + 1)));
      assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("pixel:ack");
    }

    storeProxy.stall();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < DURING_HANG; i++) {
      ids.add(painter.paint(i, 1, PALETTE.colors().get(i + 1)));
    }
    double pendingSeen = 0;
    double storeErrors = 0;
    long pollUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while ((pendingSeen == 0 || storeErrors == 0) && System.nanoTime() < pollUntil) {
      String metrics = scrape();
      pendingSeen = Math.max(pendingSeen, value(metrics, "pixels_pending_pixels"));
      storeErrors = value(metrics, "pixels_store_errors_total");
      Thread.sleep(20);
    }
    storeProxy.resume();
    for (String id : ids) {
      painter.answerTo(id); // acked once stored, or rejected if that took past the durability deadline
    }

    String metrics = scrape();
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(value(metrics, "pixels_accepted_total")).as("pixels_accepted_total")
        .isGreaterThanOrEqualTo(PAINTED);
    soft.assertThat(value(metrics, "pixels_batch_size_pixels_count")).as("pixels_batch_size_pixels_count")
        .isGreaterThanOrEqualTo(1);
    soft.assertThat(value(metrics, "pixels_store_commit_seconds_count")).as("pixels_store_commit_seconds_count")
        .isGreaterThanOrEqualTo(1);
    soft.assertThat(value(metrics, "pixels_ack_delay_seconds_count")).as("pixels_ack_delay_seconds_count")
        .isGreaterThanOrEqualTo(PAINTED);
    soft.assertThat(storeErrors).as("pixels_store_errors_total while the store hung").isGreaterThanOrEqualTo(1);
    soft.assertThat(pendingSeen).as("pixels_pending_pixels while the store hung").isGreaterThanOrEqualTo(1);
    soft.assertAll();
  }

  private String scrape() {
    return new String(server.get("/metrics").body(), StandardCharsets.UTF_8);
  }

  /** The sum of every sample of {@code name} (all label sets) in a Prometheus text exposition. */
  private static double value(String exposition, String name) {
    double sum = 0;
    for (String line : exposition.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }
}
