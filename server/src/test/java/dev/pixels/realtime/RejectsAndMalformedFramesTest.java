package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every reject reason of the foundation and every kind of bad frame, each leaving the connection usable. */
class RejectsAndMalformedFramesTest {
  private TestServer server;
  private WsClient client;

  @BeforeEach
  void start() {
    server = TestServer.start();
    client = server.connect();
    client.next("canvas:state");
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private JsonObject rejectFor(String frame) {
    client.sendText(frame);
    JsonObject reject = client.next("pixel:reject").getJsonObject("data");
    assertStillServing();
    return reject;
  }

  /** The connection still works and nothing was painted by the bad input. */
  private void assertStillServing() {
    client.send(new JsonObject().put("type", "heartbeat"));
    client.next("heartbeat");
    assertThat(server.server().seq()).isZero();
  }

  @Test
  void aColourOutsideThePaletteIsRejectedAsInvalidColour() {
    JsonObject reject = rejectFor("{\"type\":\"pixel:update\",\"id\":\"a\",\"data\":{\"x\":1,\"y\":2,\"color\":\"#123456\"}}");
    assertThat(reject.getString("reason")).isEqualTo("invalid_color");
    assertThat(reject.getString("id")).isEqualTo("a");
    assertThat(reject.getInteger("x")).isEqualTo(1);
    assertThat(reject.getInteger("y")).isEqualTo(2);
    assertThat(reject.getString("message")).contains("#123456");
  }

  @Test
  void aPixelOffTheCanvasIsRejectedAsOutOfBounds() {
    JsonObject reject = rejectFor("{\"type\":\"pixel:update\",\"id\":\"b\",\"data\":{\"x\":900,\"y\":0,\"color\":\"#000000\"}}");
    assertThat(reject.getString("reason")).isEqualTo("out_of_bounds");
    assertThat(reject.getInteger("x")).isEqualTo(900);
  }

  @Test
  void aCoordinateSentAsAStringIsRejectedAsMalformed() {
    JsonObject reject = rejectFor("{\"type\":\"pixel:update\",\"id\":\"c\",\"data\":{\"x\":\"5\",\"y\":0,\"color\":\"#000000\"}}");
    assertThat(reject.getString("reason")).isEqualTo("malformed");
    assertThat(reject.getValue("x")).isNull();
  }

  @Test
  void aFractionalCoordinateIsRejectedAsMalformed() {
    assertThat(rejectFor("{\"type\":\"pixel:update\",\"data\":{\"x\":5.5,\"y\":0,\"color\":\"#000000\"}}")
        .getString("reason")).isEqualTo("malformed");
  }

  @Test
  void aFrameThatIsNotJsonGetsAnErrorAndTheConnectionStaysOpen() {
    client.sendText("{{{ not json");
    JsonObject error = client.next("error").getJsonObject("data");
    assertThat(error.getString("reason")).isEqualTo("malformed");
    assertStillServing();
  }

  @Test
  void aFrameOfUnknownTypeGetsAnError() {
    client.sendText("{\"type\":\"pixel:explode\"}");
    assertThat(client.next("error").getJsonObject("data").getString("message")).contains("pixel:explode");
    assertStillServing();
  }

  @Test
  void aFrameOverTheSizeLimitIsRefusedWithoutClosingTheConnection() {
    client.sendText("{\"type\":\"heartbeat\",\"pad\":\"" + "x".repeat(5000) + "\"}");
    assertThat(client.next("error").getJsonObject("data").getString("reason")).isEqualTo("frame_too_large");
    assertStillServing();
  }

  @Test
  void aBinaryFrameGetsAnError() {
    client.socket().writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3}));
    assertThat(client.next("error").getJsonObject("data").getString("reason")).isEqualTo("malformed");
    assertStillServing();
  }

  @Test
  void strokeMarkersAreAcceptedSilently() {
    client.sendText("{\"type\":\"pixel:stroke:start\"}");
    client.sendText("{\"type\":\"pixel:stroke:end\"}");
    assertStillServing();
    assertThat(client.unread(Duration.ofMillis(100))).isEmpty();
  }

  @Test
  void theClientsUserIdFieldIsNotTrusted() {
    client.sendText("{\"type\":\"pixel:update\",\"id\":\"u\",\"data\":{\"x\":1,\"y\":1,\"color\":\"#000000\",\"userId\":\"admin\"}}");
    assertThat(client.answerTo("u").getString("type")).isEqualTo("pixel:ack");
    // The pixel is logged under the server-issued id, which canvas:state told the client.
    String issued = client.seen().get(0).getJsonObject("data").getString("userId");
    assertThat(issued).startsWith("anon-").isNotEqualTo("admin");
  }

  @Test
  void aFrameOverTheTransportLimitDropsOnlyThatConnection() {
    try (WsClient bystander = server.connect()) {
      bystander.next("canvas:state");
      client.sendText("{\"type\":\"heartbeat\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.closeCode() != null);
      assertThat(client.closeCode()).isIn((short) 1006, (short) 1009);
      assertThat(bystander.answerTo(bystander.paint(1, 1, "#000000")).getString("type")).isEqualTo("pixel:ack");
    }
  }
}
