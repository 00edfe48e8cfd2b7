package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.Palette;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PaintingTest {
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aNewConnectionIsToldTheCanvasSizeSeqHashAndAServerIssuedUserId() {
    try (WsClient client = server.connect()) {
      JsonObject state = client.next("canvas:state").getJsonObject("data");
      assertThat(state.getInteger("width")).isEqualTo(900);
      assertThat(state.getInteger("height")).isEqualTo(900);
      assertThat(state.getLong("seq")).isZero();
      assertThat(state.getString("hash")).isEqualTo(new Canvas(900, 900).sha256Hex());
      assertThat(state.getString("userId")).startsWith("anon-");
    }
  }

  @Test
  void aPaintedPixelIsAckedWithItsSeqAndBroadcastToEveryClientWithTheCanvasHash() {
    try (WsClient painter = server.connect(); WsClient watcher = server.connect()) {
      painter.next("canvas:state");
      watcher.next("canvas:state");

      String id = painter.paint(100, 200, "#ff0000");

      JsonObject ack = painter.answerTo(id);
      assertThat(ack.getString("type")).isEqualTo("pixel:ack");
      assertThat(ack.getJsonObject("data").getLong("seq")).isEqualTo(1);
      assertThat(ack.getJsonObject("data").getString("color")).isEqualTo("#FF0000");
      Canvas expected = new Canvas(900, 900);
      expected.set(100, 200, Palette.defaultPalette().indexOf("#FF0000"));
      for (WsClient client : new WsClient[] {painter, watcher}) {
        JsonObject bulk = client.next("pixel:bulk_update");
        JsonObject data = bulk.getJsonObject("data");
        assertThat(data.getLong("fromSeq")).isEqualTo(1);
        assertThat(data.getLong("toSeq")).isEqualTo(1);
        assertThat(data.getString("hash")).isEqualTo(expected.sha256Hex());
        assertThat(data.getJsonArray("pixels"))
            .isEqualTo(new JsonArray().add(new JsonObject().put("x", 100).put("y", 200).put("color", "#FF0000")));
        assertThat(bulk.getString("timestamp")).isNotBlank();
      }
    }
  }

  @Test
  void theFirstFrameTellsAClientItsPixelLimitsSoItCanPaceItself() {
    try (dev.pixels.testing.TestServer limited = dev.pixels.testing.TestServer.start(java.util.Map.of(
            "RATE_LIMIT_PER_SECOND", "7", "RATE_LIMIT_BURST", "9", "RATE_LIMIT_PER_MINUTE", "50"));
        WsClient client = limited.connect()) {
      JsonObject limits = client.next("canvas:state").getJsonObject("data").getJsonObject("rateLimit");
      assertThat(limits).isEqualTo(new JsonObject().put("perSecond", 7).put("burst", 9).put("perMinute", 50));
    }
  }
}
