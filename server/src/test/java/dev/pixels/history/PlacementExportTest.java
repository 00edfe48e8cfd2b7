package dev.pixels.history;

import static dev.pixels.history.Painter.paintAcked;
import static dev.pixels.history.Painter.session;
import static dev.pixels.history.Painter.userIdOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Palette;
import dev.pixels.testing.Api;
import dev.pixels.testing.TestClock;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The placement export against a real server: replay, pseudonyms, access and ranges. */
class PlacementExportTest {
  private static final String ADMIN = TestServer.ADMIN_TOKEN;
  private static final Palette PALETTE = Palette.defaultPalette();
  private final TestClock clock = TestClock.stoppedNow();

  @Test
  void replayingTheExportOntoABlankCanvasGivesTheCanvasByteForByteAfterARollbackAndARewind() {
    try (TestServer server = TestServer.start(Map.of(), clock)) {
      Api api = new Api(server);
      String griefer;
      try (WsClient artist = session(server); WsClient vandal = session(server)) {
        griefer = userIdOf(vandal);
        paintAcked(artist, 10, 10, "#FF0000");
        paintAcked(artist, 20, 20, "#FF0000");
        Instant beforeGrief = clock.advance(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        paintAcked(vandal, 10, 10, "#000000");
        paintAcked(vandal, 11, 10, "#000000");
        paintAcked(artist, 20, 20, "#000000");
        paintAcked(artist, 21, 20, "#000000");
        clock.advance(Duration.ofSeconds(1));
        assertThat(api.post("/admin/rollback", new JsonObject().put("userId", griefer)
            .put("since", beforeGrief.toString()), ADMIN).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertThat(api.post("/admin/rewind", new JsonObject().put("x1", 20).put("y1", 20).put("x2", 25)
            .put("y2", 25).put("to", beforeGrief.toString()), ADMIN).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
      }
      HttpResponse<byte[]> export = api.get(PlacementExport.PATH, ADMIN);
      assertThat(export.statusCode()).isEqualTo(200);
      assertThat(export.headers().firstValue("Content-Type")).hasValue("application/gzip");
      List<String> lines = Csv.lines(export.body());
      assertThat(lines.get(0)).isEqualTo("seq,time,x,y,color,user,kind");
      assertThat(lines).anyMatch(l -> l.endsWith(",rollback")).anyMatch(l -> l.endsWith(",rewind"));
      assertThat(lines).hasSize(1 + (int) server.server().seq());
      assertThat(String.join("\n", lines)).doesNotContain(griefer).doesNotContain("127.0.0.1");
      assertThat(lines.get(3).split(",")[5]).startsWith("painter-");

      byte[] replayed = new byte[900 * 900];
      Csv.replay(lines, replayed, 900);
      byte[] canvas = server.get("/canvas").body();
      assertThat(replayed).isEqualTo(canvas);
      assertThat(canvas[10 * 900 + 10]).isEqualTo((byte) PALETTE.indexOf("#FF0000"));
      assertThat(canvas[20 * 900 + 20]).isEqualTo((byte) PALETTE.indexOf("#FF0000"));
    }
  }

  @Test
  void aTimeRangeExportsOnlyThePlacementsStampedWithinIt() {
    try (TestServer server = TestServer.start(Map.of("HISTORY_POINT_INTERVAL_MS", "1000"), clock)) {
      Api api = new Api(server);
      try (WsClient painter = session(server)) {
        paintAcked(painter, 1, 1, "#FF0000");
        Instant from = clock.advance(Duration.ofSeconds(5));
        paintAcked(painter, 2, 2, "#FF0000");
        paintAcked(painter, 3, 3, "#FF0000");
        Instant to = clock.instant();
        clock.advance(Duration.ofSeconds(5));
        paintAcked(painter, 4, 4, "#FF0000");
        List<String> lines = Csv.lines(api.get(PlacementExport.PATH + "?from=" + from + "&to=" + to.toEpochMilli(),
            ADMIN).body());
        assertThat(lines.subList(1, lines.size())).extracting(l -> l.split(",")[0]).containsExactly("2", "3");
      }
    }
  }

  @Test
  void theExportNeedsTheAdminTokenUnlessPublic() {
    try (TestServer server = TestServer.start(Map.of(), clock)) {
      Api api = new Api(server);
      HttpResponse<byte[]> none = api.get(PlacementExport.PATH, null);
      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(api.get(PlacementExport.PATH, "not-the-admin-token").statusCode()).isEqualTo(403);
      assertThat(api.get(PlacementExport.PATH + "?from=garbage", null).statusCode())
          .as("the token is checked before the query").isEqualTo(401);
    }
  }

  @Test
  void aPublicExportIsOpenToAllUnderItsRestLimit() {
    try (TestServer server = TestServer.start(Map.of("EXPORT_PUBLIC", "true", "REST_LIMIT_EXPORT_PER_MINUTE", "2"),
        clock)) {
      Api api = new Api(server);
      assertThat(api.get(PlacementExport.PATH, null).statusCode()).isEqualTo(200);
      assertThat(api.get(PlacementExport.PATH, null).statusCode()).isEqualTo(200);
      HttpResponse<byte[]> third = api.get(PlacementExport.PATH, null);
      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(third.headers().firstValue("Retry-After")).isPresent();
      assertThat(api.get(PlacementExport.PATH, ADMIN).statusCode()).as("admins are not limited").isEqualTo(200);
    }
  }

  @Test
  void absurdRangesAreAnswered400WithTheValidRange() {
    try (TestServer server = TestServer.start(Map.of(), clock)) {
      Api api = new Api(server);
      try (WsClient painter = session(server)) {
        paintAcked(painter, 1, 1, "#FF0000");
      }
      Instant first = clock.instant();
      clock.advance(Duration.ofSeconds(10));
      Instant now = clock.instant();
      for (String query : List.of("?from=1970-01-01T00:00:00Z", "?to=9999-12-31T23:59:59Z",
          "?from=" + now + "&to=" + first, "?from=-99999999999999", "?to=" + Long.MAX_VALUE)) {
        HttpResponse<byte[]> r = api.get(PlacementExport.PATH + query, ADMIN);
        assertThat(r.statusCode()).as(query).isEqualTo(400);
        JsonObject valid = Api.json(r).getJsonObject("validRange");
        assertThat(valid.getString("from")).as(query).isEqualTo(first.toString());
        assertThat(valid.getString("to")).as(query).isEqualTo(now.toString());
      }
      for (String query : List.of("?from=yesterday", "?to=1e9", "?from=" + "9".repeat(41))) {
        HttpResponse<byte[]> r = api.get(PlacementExport.PATH + query, ADMIN);
        assertThat(r.statusCode()).as(query).isEqualTo(400);
        assertThat(Api.json(r).getString("message")).contains("ISO-8601");
      }
    }
  }
}
