package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A ban request answered with an error leaves no ban, no audit entry and no repaint behind. */
class FailedBanChangesNothingTest {
  private static final String ADMIN = TestServer.ADMIN_TOKEN;
  private TestServer server;
  private Api api;

  @BeforeEach
  void start() {
    server = TestServer.start();
    api = new Api(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aBanWithABadRollbackSinceIs400AndTheUserCanStillPaint() {
    String token = Api.json(api.post("/session", null, null)).getString("token");
    try (WsClient painter = server.connect("?token=" + token)) {
      String userId = painter.next("canvas:state").getJsonObject("data").getString("userId");
      assertThat(painter.answerTo(painter.paint(2, 2, "#000000")).getString("type")).isEqualTo("pixel:ack");

      HttpResponse<byte[]> ban = api.post("/admin/bans", new JsonObject().put("userId", userId)
          .put("rollbackSince", "+999999999-12-31T23:59:59Z"), ADMIN);

      assertThat(ban.statusCode()).isEqualTo(400);
      assertThat(Api.json(api.get("/admin/bans", ADMIN)).getJsonArray("bans")).isEmpty();
      assertThat(Api.json(api.get("/audit?type=moderation", ADMIN)).getJsonArray("entries")).isEmpty();
      assertThat(painter.answerTo(painter.paint(3, 3, "#000000")).getString("type")).isEqualTo("pixel:ack");
    }
  }

  @Test
  void aBanWithABadUntilIs400AndStoresNothing() {
    for (String until : new String[] {"+999999999-12-31T23:59:59Z", "soon"}) {
      HttpResponse<byte[]> ban = api.post("/admin/bans", new JsonObject().put("ip", "203.0.113.9").put("until", until), ADMIN);
      assertThat(ban.statusCode()).as(until).isEqualTo(400);
    }
    assertThat(Api.json(api.get("/admin/bans", ADMIN)).getJsonArray("bans")).isEmpty();
    assertThat(Api.json(api.get("/audit?type=moderation", ADMIN)).getJsonArray("entries")).isEmpty();
  }
}
