package dev.pixels.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestClock;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ranked suspects list, fed by real painters over real sockets on a clock the test moves. */
class SuspectsTest {
  private static final String ADMIN = TestServer.ADMIN_TOKEN;
  private static final int PIXELS = 30;

  /** Paints {@code PIXELS} pixels, moving the clock by {@code gaps} between them; each is acked before the next. */
  private static void paint(WsClient client, TestClock clock, int row, java.util.function.LongSupplier gaps) {
    for (int i = 0; i < PIXELS; i++) {
      if (i > 0) {
        clock.advance(Duration.ofMillis(gaps.getAsLong()));
      }
      assertThat(client.answerTo(client.paint(i, row, "#000000")).getString("type")).isEqualTo("pixel:ack");
    }
  }

  @Test
  void aScriptedPainterAtAPerfectlyRegular100MsRanksAboveHumanLikePaintersWithRandomJitter() {
    TestClock clock = TestClock.stoppedNow();
    Random random = new Random(42);
    try (TestServer server = TestServer.start(Map.of(), clock)) {
      Api api = new Api(server);
      // Everyone loads the canvas first, as the page does, so only the rhythm tells them apart.
      assertThat(server.get("/canvas").statusCode()).isEqualTo(200);
      List<String> humans = new ArrayList<>();
      for (int h = 0; h < 3; h++) {
        JsonObject session = Api.json(api.post("/session", null, null));
        humans.add(session.getString("userId"));
        try (WsClient client = server.connect("?token=" + session.getString("token"))) {
          client.next("canvas:state");
          // People pause, hurry and hesitate: gaps from 150 ms to several seconds.
          paint(client, clock, h + 1, () -> 150 + (long) (-Math.log(1 - random.nextDouble()) * 1200));
        }
      }
      JsonObject bot = Api.json(api.post("/session", null, null));
      try (WsClient client = server.connect("?token=" + bot.getString("token"))) {
        client.next("canvas:state");
        paint(client, clock, 0, () -> 100);

        JsonArray ranked = Api.json(api.get("/admin/suspects", ADMIN)).getJsonArray("suspects");
        assertThat(ranked.size()).isEqualTo(4);
        JsonObject first = ranked.getJsonObject(0);
        assertThat(first.getString("userId")).isEqualTo(bot.getString("userId"));
        assertThat(first.getJsonObject("signals").getDouble("intervalCv")).isEqualTo(0.0);
        assertThat(first.getJsonObject("signals").getLong("meanIntervalMs")).isEqualTo(100);
        for (int i = 1; i < ranked.size(); i++) {
          assertThat(humans).contains(ranked.getJsonObject(i).getString("userId"));
          assertThat(ranked.getJsonObject(i).getDouble("score")).isLessThan(first.getDouble("score"));
        }
        assertThat(first.getJsonObject("actions").getJsonObject("ban").getJsonObject("body").getString("userId"))
            .isEqualTo(bot.getString("userId"));

        // Signals never ban by themselves: the top suspect still paints.
        clock.advance(Duration.ofMillis(100));
        assertThat(client.answerTo(client.paint(0, 9, "#000000")).getString("type")).isEqualTo("pixel:ack");
      }
    }
  }

  @Test
  void aPainterThatNeverLoadedTheCanvasOrTookASessionRanksAboveOneThatDid() {
    TestClock clock = TestClock.stoppedNow();
    Random random = new Random(7);
    try (TestServer server = TestServer.start(Map.of(), clock)) {
      Api api = new Api(server);
      try (WsClient bare = server.connect()) {
        bare.next("canvas:state");
        paint(bare, clock, 0, () -> 150 + random.nextInt(3000));
      }
      assertThat(server.get("/canvas").statusCode()).isEqualTo(200);
      JsonObject page = Api.json(api.post("/session", null, null));
      try (WsClient client = server.connect("?token=" + page.getString("token"))) {
        client.next("canvas:state");
        paint(client, clock, 1, () -> 150 + random.nextInt(3000));
      }
      JsonArray ranked = Api.json(api.get("/admin/suspects", ADMIN)).getJsonArray("suspects");
      assertThat(ranked.getJsonObject(0).getJsonObject("signals").getBoolean("noSession")).isTrue();
      assertThat(ranked.getJsonObject(0).getJsonObject("signals").getDouble("noBootstrapShare")).isEqualTo(1.0);
      assertThat(ranked.getJsonObject(1).getString("userId")).isEqualTo(page.getString("userId"));
      assertThat(ranked.getJsonObject(1).getJsonObject("signals").getDouble("noBootstrapShare")).isEqualTo(0.0);
    }
  }

  @Test
  void theSuspectsListNeedsTheAdminToken() {
    try (TestServer server = TestServer.start()) {
      Api api = new Api(server);
      assertThat(api.get("/admin/suspects", null).statusCode()).isEqualTo(401);
      assertThat(api.get("/admin/suspects", "not-the-admin-token").statusCode()).isEqualTo(403);
      assertThat(api.get("/admin/suspects?limit=0", ADMIN).statusCode()).isEqualTo(400);
    }
  }

  @Test
  void aModeratorCanMakeASessionSolveANewProofOfWork() {
    try (TestServer server = TestServer.start(Map.of("POW_DIFFICULTY", "1000"))) {
      Api api = new Api(server);
      JsonObject session = Api.json(api.post("/session", null, null));
      String token = session.getString("token");
      api.post("/pow/solution", new JsonObject().put("payload", Altcha.solve(Api.json(api.get("/pow/challenge", null)))),
          token);
      try (WsClient client = server.connect("?token=" + token)) {
        client.next("canvas:state");
        assertThat(client.answerTo(client.paint(0, 0, "#000000")).getString("type")).isEqualTo("pixel:ack");
        JsonObject action = Api.json(api.get("/admin/suspects", ADMIN)).getJsonArray("suspects").getJsonObject(0)
            .getJsonObject("actions").getJsonObject("requireProofOfWork");
        assertThat(api.post(action.getString("path"), action.getJsonObject("body"), null).statusCode()).isEqualTo(401);
        var revoked = api.post(action.getString("path"), action.getJsonObject("body"), ADMIN);
        assertThat(Api.json(revoked).getBoolean("hadSolution")).isTrue();
        JsonObject answer = client.answerTo(client.paint(1, 0, "#000000"));
        assertThat(answer.getJsonObject("data").getString("reason")).isEqualTo("pow_required");
      }
    }
  }
}
