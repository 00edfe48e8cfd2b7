package dev.pixels.pixelinfo;

import static dev.pixels.pixelinfo.PixelInfoTest.alpha;
import static dev.pixels.pixelinfo.PixelInfoTest.lookupWhenIndexed;
import static dev.pixels.pixelinfo.PixelInfoTest.paintAcked;
import static dev.pixels.pixelinfo.PixelInfoTest.png;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.cluster.EmptySharedCanvas;
import dev.pixels.testing.Api;
import dev.pixels.testing.ClusterFixture;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pixel lookups and overlays with two instances sharing a real redis-server and dynalite: each
 * instance's replica keeps its own index, and a restarted instance rebuilds it from DynamoDB.
 */
class PixelInfoClusterTest {
  private static final int SIZE = 32;
  private static ClusterFixture backends;

  @BeforeAll
  static void startBackends() {
    backends = ClusterFixture.start();
  }

  @AfterAll
  static void stopBackends() {
    backends.close();
  }

  private static Map<String, String> env(String prefix) {
    Map<String, String> env = backends.env(prefix, SIZE);
    env.put("BATCH_INTERVAL_MS", "20");
    env.put("SESSION_SECRET", "one-secret-for-every-instance-0123456789");
    env.put("REST_LIMIT_PIXEL_INFO", "20");
    return env;
  }

  @Test
  void everyInstanceAnswersLookupsAndOverlaysForPixelsPaintedOnAnother() throws IOException {
    EmptySharedCanvas.install(backends.redis(), SIZE, SIZE);
    String prefix = backends.dynalite().tablePrefix();
    try (TestServer a = TestServer.start(env(prefix)); TestServer b = TestServer.start(env(prefix));
        WsClient painter = a.connect()) {
      painter.next("canvas:state");
      paintAcked(painter, 2, 3, 4);
      paintAcked(painter, 2, 3, 6);
      JsonObject onA = lookupWhenIndexed(a, 2, 3, null, 2);
      JsonObject onB = lookupWhenIndexed(b, 2, 3, null, 2);
      assertThat(onB).isEqualTo(onA);
      assertThat(onB.getJsonObject("placement").getInteger("color")).isEqualTo(6);
      assertThat(onB.getJsonObject("placement").getString("by")).startsWith("painter-");
      assertThat(lookupWhenIndexed(b, 2, 3, TestServer.ADMIN_TOKEN, 2).getJsonObject("placement").getString("userId"))
          .isEqualTo(painter.seen().get(0).getJsonObject("data").getString("userId"));
      BufferedImage heat = png(new Api(b).get("/canvas/heatmap?window=1h", null));
      assertThat(heat.getWidth()).isEqualTo(SIZE);
      assertThat(alpha(heat, 2, 3)).isPositive();
      assertThat(alpha(heat, 3, 3)).isZero();
      BufferedImage virgin = png(new Api(b).get("/canvas/virgin", null));
      assertThat(alpha(virgin, 2, 3)).isZero();
      assertThat(alpha(virgin, 3, 3)).isPositive();
      for (int i = 0; i < 20; i++) {
        new Api(b).get("/pixels/0/" + (i % SIZE), null);
      }
      assertThat(new Api(b).get("/pixels/0/0", null).statusCode()).as("the limit holds per instance").isEqualTo(429);
    }
  }

  @Test
  void aRestartedInstanceRebuildsItsIndexFromTheSharedStore() {
    EmptySharedCanvas.install(backends.redis(), SIZE, SIZE);
    String prefix = backends.dynalite().tablePrefix();
    JsonObject before;
    try (TestServer a = TestServer.start(env(prefix)); WsClient painter = a.connect()) {
      painter.next("canvas:state");
      paintAcked(painter, 5, 6, 2);
      paintAcked(painter, 5, 6, 3);
      paintAcked(painter, 5, 6, 9);
      before = lookupWhenIndexed(a, 5, 6, TestServer.ADMIN_TOKEN, 3);
    }
    try (TestServer again = TestServer.start(env(prefix))) {
      assertThat(lookupWhenIndexed(again, 5, 6, TestServer.ADMIN_TOKEN, 3)).isEqualTo(before);
    }
  }
}
