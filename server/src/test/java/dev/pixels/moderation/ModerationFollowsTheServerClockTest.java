package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestClock;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real server started with a clock the test moves: lock and ban expiry, the check that a lock's
 * expiry lies ahead, and the timestamps of painted pixels all follow that clock, so an hour-long
 * lock or ban ends when the clock passes it rather than an hour later.
 */
class ModerationFollowsTheServerClockTest {
  private static final String ADMIN = TestServer.ADMIN_TOKEN;
  /** Far from the wall clock, so that nothing can pass by reading the wall clock instead. */
  private final TestClock clock = new TestClock(Instant.parse("2031-03-04T05:06:07.089Z"));
  private TestServer server;
  private Api api;

  @BeforeEach
  void start() {
    server = TestServer.start(Map.of(), clock);
    api = new Api(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private WsClient painter() {
    String token = Api.json(api.post("/session", null, null)).getString("token");
    WsClient client = server.connect("?token=" + token);
    client.next("canvas:state");
    return client;
  }

  @Test
  void anHourLongLockEndsAndIsBroadcastAsUnlockOnceTheServerClockPassesItsExpiry() {
    try (WsClient painter = painter()) {
      String expires = clock.instant().plus(Duration.ofHours(1)).toString();
      assertThat(api.post("/locks", new JsonObject().put("x1", 0).put("y1", 0).put("x2", 3).put("y2", 3)
          .put("expiresAt", expires), ADMIN).statusCode()).isEqualTo(201);
      assertThat(painter.answerTo(painter.paint(1, 1, "#000000")).getJsonObject("data").getString("reason"))
          .isEqualTo("locked_region");

      clock.advance(Duration.ofHours(1));
      JsonObject unlock = painter.next(m -> "moderation:unlock".equals(m.getString("type")), Duration.ofSeconds(5),
          "unlock");
      assertThat(unlock.getJsonObject("data").getString("expiresAt")).isEqualTo(expires);
      assertThat(painter.answerTo(painter.paint(1, 1, "#000000")).getString("type")).isEqualTo("pixel:ack");
      assertThat(Api.json(api.get("/locks", null)).getJsonArray("locks")).isEmpty();
    }
  }

  @Test
  void anHourLongBanEndsOnceTheServerClockPassesItsUntil() {
    try (WsClient painter = painter()) {
      String userId = painter.seen().get(0).getJsonObject("data").getString("userId");
      HttpResponse<byte[]> ban = api.post("/admin/bans", new JsonObject().put("userId", userId)
          .put("until", clock.instant().plus(Duration.ofHours(1)).toString()), ADMIN);
      assertThat(ban.statusCode()).as(new String(ban.body())).isEqualTo(201);
      assertThat(painter.answerTo(painter.paint(1, 1, "#000000")).getJsonObject("data").getString("reason"))
          .isEqualTo("banned");

      clock.advance(Duration.ofHours(1));
      assertThat(painter.answerTo(painter.paint(1, 1, "#000000")).getString("type")).isEqualTo("pixel:ack");
      assertThat(Api.json(api.get("/admin/bans", ADMIN)).getJsonArray("bans")).isEmpty();
    }
  }

  @Test
  void aLockExpiryThatTheServerClockHasPassedIsRefused() {
    clock.advance(Duration.ofMinutes(1));
    HttpResponse<byte[]> r = api.post("/locks", new JsonObject().put("x1", 0).put("y1", 0).put("x2", 3).put("y2", 3)
        .put("expiresAt", clock.instant().minusSeconds(30).toString()), ADMIN);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(Api.json(r).getString("message")).contains("expiresAt must be in the future");
  }

  @Test
  void paintedPixelsAndModerationActionsAreStampedWithTheServerClock() {
    try (WsClient painter = painter()) {
      Instant paintedAt = clock.advance(Duration.ofMinutes(5));
      assertThat(painter.answerTo(painter.paint(7, 8, "#000000")).getString("type")).isEqualTo("pixel:ack");
      JsonObject pixel = Api.json(api.get("/audit?limit=1", ADMIN)).getJsonArray("entries").getJsonObject(0);
      assertThat(Instant.parse(pixel.getString("timestamp"))).isEqualTo(paintedAt);

      Instant lockedAt = clock.advance(Duration.ofMinutes(5));
      JsonObject lock = Api.json(api.post("/locks", new JsonObject().put("x1", 0).put("y1", 0).put("x2", 3)
          .put("y2", 3), ADMIN));
      assertThat(Instant.parse(lock.getString("createdAt"))).isEqualTo(lockedAt);
    }
  }
}
