package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Connection-level limits: oversized frames, floods, binary frames, too many connections. */
class HostileInputTest {

  @Test
  void aClientThatKeepsSendingOversizedFramesIsClosedWith1008AndOthersAreUnaffected() {
    try (TestServer server = TestServer.start(Map.of("WS_MAX_VIOLATIONS", "3"));
        WsClient hostile = server.connect(); WsClient bystander = server.connect()) {
      hostile.next("canvas:state");
      bystander.next("canvas:state");
      String big = "{\"type\":\"heartbeat\",\"pad\":\"" + "x".repeat(5000) + "\"}";
      hostile.sendText(big);
      assertThat(hostile.next("error").getJsonObject("data").getString("reason")).isEqualTo("frame_too_large");
      for (int i = 0; i < 5; i++) {
        hostile.sendText(big);
      }
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(hostile::isClosed);
      assertThat(hostile.closeCode()).isEqualTo((short) 1008);
      assertThat(hostile.closeReason()).contains("policy violation");
      assertThat(bystander.answerTo(bystander.paint(1, 1, "#000000")).getString("type")).isEqualTo("pixel:ack");
    }
  }

  @Test
  void aFloodBeyondTheMessageRateIsRefusedThenClosedWith1008() {
    try (TestServer server = TestServer.start(Map.of("WS_MAX_MESSAGES_PER_SECOND", "5", "WS_MAX_VIOLATIONS", "5"));
        WsClient flooder = server.connect()) {
      flooder.next("canvas:state");
      for (int i = 0; i < 40; i++) {
        flooder.sendText("{\"type\":\"heartbeat\"}");
      }
      assertThat(flooder.next("error").getJsonObject("data").getString("reason")).isEqualTo("too_many_messages");
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(flooder::isClosed);
      assertThat(flooder.closeCode()).isEqualTo((short) 1008);
    }
  }

  @Test
  void binaryFramesAreAnsweredAsMalformedAndCountAsViolations() {
    try (TestServer server = TestServer.start(Map.of("WS_MAX_VIOLATIONS", "2")); WsClient client = server.connect()) {
      client.next("canvas:state");
      client.socket().writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3}));
      assertThat(client.next("error").getJsonObject("data").getString("reason")).isEqualTo("malformed");
      for (int i = 0; i < 3; i++) {
        client.socket().writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3}));
      }
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(client::isClosed);
      assertThat(client.closeCode()).isEqualTo((short) 1008);
    }
  }

  @Test
  void connectionsBeyondMaxConnectionsPerIpAreRefusedWith429UntilOneCloses() throws Exception {
    try (TestServer server = TestServer.start(Map.of("MAX_CONNECTIONS_PER_IP", "2"))) {
      WsClient a = server.connect();
      WsClient b = server.connect();
      a.next("canvas:state");
      b.next("canvas:state");
      assertThat(dev.pixels.testing.Api.upgradeStatus(server, "/ws")).startsWith("HTTP/1.1 429");
      assertThat(dev.pixels.testing.Api.upgradeStatus(server, "/ws?token=" + TestServer.ADMIN_TOKEN))
          .as("admins are not counted").startsWith("HTTP/1.1 101");
      a.close();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
          dev.pixels.testing.Api.upgradeStatus(server, "/ws").startsWith("HTTP/1.1 101"));
      b.close();
    }
  }
}
