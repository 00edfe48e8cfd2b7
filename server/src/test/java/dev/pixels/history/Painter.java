package dev.pixels.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;

/** A painter with a session of its own on a test server. */
final class Painter {
  private Painter() {}

  static WsClient session(TestServer server) {
    String token = Api.json(new Api(server).post("/session", null, null)).getString("token");
    WsClient client = server.connect("?token=" + token);
    client.next("canvas:state");
    return client;
  }

  static void paintAcked(WsClient client, int x, int y, String color) {
    assertThat(client.answerTo(client.paint(x, y, color)).getString("type")).isEqualTo("pixel:ack");
  }

  static String userIdOf(WsClient client) {
    return client.seen().get(0).getJsonObject("data").getString("userId");
  }
}
