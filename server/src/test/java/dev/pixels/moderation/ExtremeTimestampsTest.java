package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Times that parse as ISO-8601 but lie outside what the server stores (epoch milliseconds) are
 * answered 400 naming the valid range, on every endpoint that takes a time, and change nothing.
 */
class ExtremeTimestampsTest {
  private static final String ADMIN = TestServer.ADMIN_TOKEN;
  private static final List<String> EXTREMES = List.of("+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
      "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z");
  private static TestServer server;
  private static Api api;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    api = new Api(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void assertOutOfRange(HttpResponse<byte[]> response, String what) {
    assertThat(response.statusCode()).as(what).isEqualTo(400);
    JsonObject error = Api.json(response);
    assertThat(error.getString("error")).as(what).isEqualTo("bad_request");
    assertThat(error.getString("message")).as(what)
        .contains("0000-01-01T00:00:00Z").contains("9999-12-31T23:59:59.999Z");
  }

  private static String q(String time) {
    return URLEncoder.encode(time, StandardCharsets.UTF_8);
  }

  @Test
  void aLockExpiryOutOfRangeIs400AndNoLockIsStored() {
    for (String t : EXTREMES) {
      assertOutOfRange(api.post("/locks", new JsonObject().put("x1", 0).put("y1", 0).put("x2", 1).put("y2", 1)
          .put("expiresAt", t), ADMIN), "expiresAt " + t);
    }
    assertThat(Api.json(api.get("/locks", null)).getJsonArray("locks")).isEmpty();
  }

  @Test
  void rollbackAndRewindTimesOutOfRangeAre400() {
    for (String t : EXTREMES) {
      assertOutOfRange(api.post("/admin/rollback", new JsonObject().put("userId", "user-x").put("since", t), ADMIN),
          "rollback since " + t);
      assertOutOfRange(api.post("/admin/rewind", new JsonObject().put("x1", 0).put("y1", 0).put("x2", 1).put("y2", 1)
          .put("to", t), ADMIN), "rewind to " + t);
    }
  }

  @Test
  void banTimesOutOfRangeAre400AndNoBanIsStored() {
    for (String t : EXTREMES) {
      assertOutOfRange(api.post("/admin/bans", new JsonObject().put("userId", "user-x").put("until", t), ADMIN),
          "ban until " + t);
      assertOutOfRange(api.post("/admin/bans", new JsonObject().put("userId", "user-x").put("rollbackSince", t), ADMIN),
          "ban rollbackSince " + t);
    }
    assertThat(Api.json(api.get("/admin/bans", ADMIN)).getJsonArray("bans")).isEmpty();
  }

  @Test
  void historicalCanvasTimesOutOfRangeAre400() {
    for (String t : EXTREMES) {
      assertOutOfRange(api.get("/canvas?at=" + q(t), ADMIN), "canvas at " + t);
      assertOutOfRange(api.get("/canvas/image?at=" + q(t), ADMIN), "canvas image at " + t);
    }
  }

  @Test
  void auditTimesOutOfRangeAre400() {
    for (String t : EXTREMES) {
      assertOutOfRange(api.get("/audit?since=" + q(t), ADMIN), "audit since " + t);
      assertOutOfRange(api.get("/audit?until=" + q(t), ADMIN), "audit until " + t);
    }
  }

  @Test
  void theEdgesOfTheRangeAreAccepted() {
    assertThat(api.get("/audit?since=" + q("0000-01-01T00:00:00Z") + "&until=" + q("9999-12-31T23:59:59.999Z"), ADMIN)
        .statusCode()).isEqualTo(200);
    assertThat(api.get("/canvas?at=" + q("9999-12-31T23:59:59.999Z"), ADMIN).statusCode()).isEqualTo(200);
  }
}
