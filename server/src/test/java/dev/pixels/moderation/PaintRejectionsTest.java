package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every reject reason the safety layer adds, each seen by a real client over a real socket. */
class PaintRejectionsTest {
  private static final String ADMIN = TestServer.ADMIN_TOKEN;

  private static JsonObject reject(WsClient client, String id) {
    JsonObject answer = client.answerTo(id);
    assertThat(answer.getString("type")).isEqualTo("pixel:reject");
    return answer.getJsonObject("data");
  }

  @Test
  void aUserOverTheBurstIsRateLimitedWithRetryAfterAndThePixelIsNotApplied() {
    try (TestServer server = TestServer.start(Map.of("RATE_LIMIT_PER_SECOND", "1", "RATE_LIMIT_BURST", "3"));
        WsClient client = server.connect()) {
      client.next("canvas:state");
      for (int i = 0; i < 3; i++) {
        assertThat(client.answerTo(client.paint(i, 0, "#000000")).getString("type")).isEqualTo("pixel:ack");
      }
      JsonObject rejected = reject(client, client.paint(50, 50, "#000000"));
      assertThat(rejected.getString("reason")).isEqualTo("rate_limited");
      assertThat(rejected.getLong("retryAfterMs")).isBetween(1L, 1000L);
      assertThat(server.server().seq()).isEqualTo(3);
      assertThat(client.receives(m -> m.encode().contains("\"x\":50"), Duration.ofMillis(300))).isFalse();
    }
  }

  @Test
  void reconnectingDoesNotResetTheLimitBecauseThePerIpBucketRemembers() {
    try (TestServer server = TestServer.start(Map.of("RATE_LIMIT_PER_SECOND", "1", "RATE_LIMIT_BURST", "2",
        "RATE_LIMIT_IP_PER_SECOND", "1", "RATE_LIMIT_IP_BURST", "3"))) {
      int acked = 0;
      String lastReason = null;
      for (int connection = 0; connection < 3; connection++) {
        try (WsClient client = server.connect()) {
          client.next("canvas:state");
          for (int i = 0; i < 2; i++) {
            JsonObject answer = client.answerTo(client.paint(connection, i, "#000000"));
            if (answer.getString("type").equals("pixel:ack")) {
              acked++;
            } else {
              lastReason = answer.getJsonObject("data").getString("reason");
            }
          }
        }
      }
      assertThat(acked).isEqualTo(3);
      assertThat(lastReason).isEqualTo("rate_limited");
    }
  }

  @Test
  void theClientsOwnUserIdFieldIsIgnoredForLimits() {
    try (TestServer server = TestServer.start(Map.of("RATE_LIMIT_PER_SECOND", "1", "RATE_LIMIT_BURST", "1"));
        WsClient client = server.connect()) {
      client.next("canvas:state");
      client.send(new JsonObject().put("type", "pixel:update").put("id", "a")
          .put("data", new JsonObject().put("x", 1).put("y", 1).put("color", "#000000").put("userId", "alice")));
      client.send(new JsonObject().put("type", "pixel:update").put("id", "b")
          .put("data", new JsonObject().put("x", 2).put("y", 1).put("color", "#000000").put("userId", "bob")));
      assertThat(client.answerTo("a").getString("type")).isEqualTo("pixel:ack");
      assertThat(reject(client, "b").getString("reason")).isEqualTo("rate_limited");
    }
  }

  @Test
  void aPixelInsideALockIsRejectedAsLockedRegionButAnAdminMayPaintThere() {
    try (TestServer server = TestServer.start(); WsClient user = server.connect();
        WsClient admin = server.connect("?token=" + ADMIN)) {
      user.next("canvas:state");
      admin.next("canvas:state");
      Api api = new Api(server);
      assertThat(api.post("/locks", new JsonObject().put("x1", 10).put("y1", 10).put("x2", 20).put("y2", 20)
          .put("reason", "art"), ADMIN).statusCode()).isEqualTo(201);
      assertThat(reject(user, user.paint(15, 15, "#000000")).getString("reason")).isEqualTo("locked_region");
      assertThat(user.answerTo(user.paint(21, 15, "#000000")).getString("type")).isEqualTo("pixel:ack");
      assertThat(admin.answerTo(admin.paint(15, 15, "#FF0000")).getString("type")).isEqualTo("pixel:ack");
    }
  }

  @Test
  void aBannedUserIsRejectedAsBannedOnEveryConnectionOfTheirSession() {
    try (TestServer server = TestServer.start()) {
      Api api = new Api(server);
      JsonObject session = Api.json(api.post("/session", null, null));
      try (WsClient client = server.connect("?token=" + session.getString("token"))) {
        assertThat(client.next("canvas:state").getJsonObject("data").getString("userId"))
            .isEqualTo(session.getString("userId"));
        assertThat(api.post("/admin/bans", new JsonObject().put("userId", session.getString("userId"))
            .put("reason", "griefing"), ADMIN).statusCode()).isEqualTo(201);
        JsonObject rejected = reject(client, client.paint(1, 1, "#000000"));
        assertThat(rejected.getString("reason")).isEqualTo("banned");
      }
      WebSocketConnectOptions bearer = new WebSocketConnectOptions()
          .addHeader("Authorization", "Bearer " + session.getString("token"));
      try (WsClient again = WsClient.connect(server.port(), "/ws", bearer)) {
        again.next("canvas:state");
        assertThat(reject(again, again.paint(2, 2, "#000000")).getString("reason")).isEqualTo("banned");
      }
    }
  }

  @Test
  void anIpBanRejectsAnonymousConnectionsFromThatAddressUntilLifted() {
    try (TestServer server = TestServer.start(); WsClient client = server.connect()) {
      client.next("canvas:state");
      Api api = new Api(server);
      JsonObject ban = Api.json(api.post("/admin/bans", new JsonObject().put("ip", "127.0.0.1"), ADMIN));
      assertThat(reject(client, client.paint(1, 1, "#000000")).getString("reason")).isEqualTo("banned");
      assertThat(api.delete("/admin/bans/" + ban.getString("id"), ADMIN).statusCode()).isEqualTo(204);
      assertThat(client.answerTo(client.paint(1, 1, "#000000")).getString("type")).isEqualTo("pixel:ack");
    }
  }

  @Test
  void aForgedTokenIsRefusedAtTheUpgradeWith401() throws Exception {
    try (TestServer server = TestServer.start()) {
      assertThat(Api.upgradeStatus(server, "/ws?token=user-admin.forged")).startsWith("HTTP/1.1 401");
      assertThat(Api.upgradeStatus(server, "/ws")).startsWith("HTTP/1.1 101");
    }
  }
}
