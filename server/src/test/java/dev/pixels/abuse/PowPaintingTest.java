package dev.pixels.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestClock;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Proof of work seen by a real client over HTTP and a real WebSocket. */
class PowPaintingTest {
  private static final Map<String, String> POW = Map.of("POW_DIFFICULTY", "2000", "POW_PIXELS_PER_SOLUTION", "2",
      "POW_SOLUTION_MINUTES", "5");

  private static String answerType(WsClient client, int x) {
    return client.answerTo(client.paint(x, 0, "#000000")).getString("type");
  }

  private static String reason(WsClient client, int x) {
    JsonObject answer = client.answerTo(client.paint(x, 0, "#000000"));
    return answer.getJsonObject("data") == null ? answer.getString("type") : answer.getJsonObject("data").getString("reason");
  }

  @Test
  void aSessionPaintsOnlyAfterSolvingAndAgainAfterItsPixelsOrMinutesAreSpent() {
    TestClock clock = TestClock.stoppedNow();
    try (TestServer server = TestServer.start(POW, clock)) {
      Api api = new Api(server);
      String token = Api.json(api.post("/session", null, null)).getString("token");
      try (WsClient client = server.connect("?token=" + token)) {
        client.next("canvas:state");
        assertThat(reason(client, 0)).isEqualTo("pow_required");

        var solved = api.post("/pow/solution",
            new JsonObject().put("payload", Altcha.solve(Api.json(api.get("/pow/challenge", null)))), token);
        assertThat(solved.statusCode()).isEqualTo(200);
        assertThat(Api.json(solved).getInteger("pixels")).isEqualTo(2);
        assertThat(answerType(client, 1)).isEqualTo("pixel:ack");
        assertThat(answerType(client, 2)).isEqualTo("pixel:ack");
        assertThat(reason(client, 3)).isEqualTo("pow_required");

        api.post("/pow/solution",
            new JsonObject().put("payload", Altcha.solve(Api.json(api.get("/pow/challenge", null)))), token);
        assertThat(answerType(client, 4)).isEqualTo("pixel:ack");
        clock.advance(Duration.ofMinutes(5));
        assertThat(reason(client, 5)).isEqualTo("pow_required");
      }
    }
  }

  @Test
  void aReplayedSolutionIsRefusedWithItsReasonAndPaysForNothing() {
    try (TestServer server = TestServer.start(POW)) {
      Api api = new Api(server);
      String first = Api.json(api.post("/session", null, null)).getString("token");
      String second = Api.json(api.post("/session", null, null)).getString("token");
      JsonObject body = new JsonObject().put("payload", Altcha.solve(Api.json(api.get("/pow/challenge", null))));
      assertThat(api.post("/pow/solution", body, first).statusCode()).isEqualTo(200);
      var replay = api.post("/pow/solution", body, second);
      assertThat(replay.statusCode()).isEqualTo(400);
      assertThat(Api.json(replay).getString("error")).isEqualTo("pow_replayed");
      try (WsClient client = server.connect("?token=" + second)) {
        client.next("canvas:state");
        assertThat(reason(client, 0)).isEqualTo("pow_required");
      }
    }
  }

  @Test
  void aSolutionWithoutASessionTokenIsRefusedBeforeItsBodyIsRead() {
    try (TestServer server = TestServer.start(POW)) {
      Api api = new Api(server);
      var answer = api.post("/pow/solution", new JsonObject().put("payload", "x"), null);
      assertThat(answer.statusCode()).isEqualTo(401);
      assertThat(api.post("/pow/solution", new JsonObject().put("payload", "x"), "forged.token").statusCode())
          .isEqualTo(401);
    }
  }

  @Test
  void withProofOfWorkOffThereAreNoPowRoutesAndPaintingNeedsNoSolution() {
    try (TestServer server = TestServer.start(); WsClient client = server.connect()) {
      assertThat(new Api(server).get("/pow/challenge", null).statusCode()).isEqualTo(404);
      client.next("canvas:state");
      assertThat(answerType(client, 0)).isEqualTo("pixel:ack");
    }
  }
}
