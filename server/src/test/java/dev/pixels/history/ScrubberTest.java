package dev.pixels.history;

import static dev.pixels.history.Painter.paintAcked;
import static dev.pixels.history.Painter.session;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Palette;
import dev.pixels.testing.Api;
import dev.pixels.testing.TestClock;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The history scrubber's endpoints against a real server. */
class ScrubberTest {
  private static final Palette PALETTE = Palette.defaultPalette();
  private static final byte RED = (byte) PALETTE.indexOf("#FF0000");
  private static final byte BLACK = (byte) PALETTE.indexOf("#000000");
  private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00.500Z"));

  @Test
  void eachIntervalCrossedListsAnImmutablePointThatServesTheCanvasAsItWasThen() {
    try (TestServer server = TestServer.start(Map.of("HISTORY_POINT_INTERVAL_MS", "60000"), clock)) {
      Api api = new Api(server);
      try (WsClient painter = session(server)) {
        paintAcked(painter, 5, 5, "#FF0000");
        paintAcked(painter, 6, 5, "#FF0000");
        clock.advance(Duration.ofMinutes(1));
        paintAcked(painter, 5, 5, "#000000");
        clock.advance(Duration.ofMinutes(2));
        paintAcked(painter, 7, 5, "#000000");
      }
      JsonObject index = Api.json(server.get("/history"));
      assertThat(index.getString("from")).isEqualTo("2026-03-01T10:00:00.500Z");
      assertThat(index.getJsonObject("live").getLong("seq")).isEqualTo(4);
      JsonArray points = index.getJsonArray("points");
      assertThat(points.stream().map(p -> ((JsonObject) p).getLong("seq")).toList()).containsExactly(0L, 2L, 3L);
      JsonObject afterFirstMinute = points.getJsonObject(1);
      assertThat(afterFirstMinute.getString("time")).isEqualTo("2026-03-01T10:01:00Z");
      assertThat(afterFirstMinute.getString("url")).isEqualTo("/history/canvas/2");

      HttpResponse<byte[]> old = server.get("/history/canvas/2");
      assertThat(old.statusCode()).isEqualTo(200);
      assertThat(old.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
      assertThat(old.headers().firstValue("X-Canvas-Seq")).hasValue("2");
      assertThat(old.body()).hasSize(900 * 900);
      assertThat(old.body()[5 * 900 + 5]).isEqualTo(RED);
      assertThat(old.body()[5 * 900 + 6]).isEqualTo(RED);
      assertThat(old.body()[5 * 900 + 7]).isZero();
      byte[] blank = server.get("/history/canvas/0").body();
      assertThat(blank).isEqualTo(new byte[900 * 900]);
      byte[] three = server.get("/history/canvas/3").body();
      assertThat(three[5 * 900 + 5]).isEqualTo(BLACK);
      assertThat(three[5 * 900 + 7]).isZero();
      assertThat(server.get("/canvas").body()[5 * 900 + 7]).isEqualTo(BLACK);

      String etag = old.headers().firstValue("ETag").orElseThrow();
      assertThat(server.get("/history/canvas/2", "If-None-Match", etag).statusCode()).isEqualTo(304);
      HttpResponse<byte[]> gzip = server.get("/history/canvas/2", "Accept-Encoding", "gzip");
      assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
      assertThat(gzip.headers().firstValue("ETag")).hasValue(etag);
    }
  }

  @Test
  void aPointIsTheSameWhicheverStateItIsComputedFrom() {
    try (TestServer server = TestServer.start(Map.of("HISTORY_POINT_INTERVAL_MS", "1000", "HISTORY_CACHED_POINTS",
        "1", "BATCH_INTERVAL_MS", "5"), clock)) {
      Api api = new Api(server);
      try (WsClient painter = session(server)) {
        for (int i = 0; i < 20; i++) {
          paintAcked(painter, i % 7, i % 5, PALETTE.color(i % PALETTE.size()));
          clock.advance(Duration.ofSeconds(1));
        }
      }
      JsonArray points = Api.json(server.get("/history")).getJsonArray("points");
      assertThat(points).hasSize(20);
      // With one cached point, each is built from the blank canvas, the live one or the previous point,
      // forwards or backwards; in both orders every point must equal a replay of its prefix.
      java.util.List<Long> order = new java.util.ArrayList<>(
          points.stream().map(p -> ((JsonObject) p).getLong("seq")).toList());
      for (int round = 0; round < 2; round++) {
        for (long seq : order) {
          byte[] expected = new byte[900 * 900];
          for (int i = 0; i < seq; i++) {
            expected[(i % 5) * 900 + i % 7] = (byte) (i % PALETTE.size());
          }
          assertThat(server.get("/history/canvas/" + seq).body()).as("seq " + seq).isEqualTo(expected);
        }
        java.util.Collections.reverse(order);
      }
    }
  }

  @Test
  void aSeqThatIsNotAPointIsNotFoundAndABadOneIsRefused() {
    try (TestServer server = TestServer.start(Map.of(), clock)) {
      assertThat(server.get("/history/canvas/12345").statusCode()).isEqualTo(404);
      assertThat(server.get("/history/canvas/abc").statusCode()).isEqualTo(400);
      JsonObject index = Api.json(server.get("/history"));
      assertThat(index.getJsonArray("points")).isEmpty();
      assertThat(index.getValue("from")).isNull();
    }
  }

  @Test
  void theScrubberIsRateLimitedPerClientAddress() {
    try (TestServer server = TestServer.start(Map.of("REST_LIMIT_HISTORY_PER_MINUTE", "2"), clock)) {
      assertThat(server.get("/history").statusCode()).isEqualTo(200);
      assertThat(server.get("/history/canvas/7").statusCode()).isEqualTo(404);
      HttpResponse<byte[]> third = server.get("/history");
      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(third.headers().firstValue("Retry-After")).isPresent();
      assertThat(server.get("/history", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN).statusCode())
          .isEqualTo(200);
    }
  }
}
