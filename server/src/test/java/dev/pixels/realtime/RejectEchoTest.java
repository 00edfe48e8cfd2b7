package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.RawWebSocket;
import dev.pixels.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * What a reject echoes, read as raw text so that the exact JSON the server writes is checked (see
 * docs/protocol.md, "pixel:ack / pixel:reject").
 */
class RejectEchoTest {

  @Test
  void aCoordinateTooLargeToBeFiniteIsEchoedAsNullAndTheOtherAsSent() throws Exception {
    try (TestServer server = TestServer.start(); RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws", 65_536)) {
      ws.read();
      ws.sendText("{\"type\":\"pixel:update\",\"id\":\"big\",\"data\":{\"x\":1e400,\"y\":5,\"color\":\"#000000\"}}");

      String reject = nextReject(ws);

      assertThat(reject).contains("\"x\":null,\"y\":5,");
      JsonObject data = new JsonObject(reject).getJsonObject("data");
      assertThat(data.getString("id")).isEqualTo("big");
      assertThat(data.getString("reason")).isEqualTo("malformed");
    }
  }

  @Test
  void aRejectForAnIdTooLongStillEchoesTheValidCoordinates() throws Exception {
    try (TestServer server = TestServer.start(); RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws", 65_536)) {
      ws.read();
      ws.sendText("{\"type\":\"pixel:update\",\"id\":\"" + "i".repeat(65)
          + "\",\"data\":{\"x\":7,\"y\":8,\"color\":\"#000000\"}}");

      String reject = nextReject(ws);

      assertThat(reject).contains("\"id\":null,\"x\":7,\"y\":8,");
      assertThat(new JsonObject(reject).getJsonObject("data").getString("reason")).isEqualTo("malformed");
    }
  }

  private static String nextReject(RawWebSocket ws) throws IOException {
    while (true) {
      String text = ws.read().text();
      if (text.contains("\"pixel:reject\"")) {
        return text;
      }
    }
  }
}
