package dev.pixels.pixelinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pixels.canvas.Palette;
import dev.pixels.testing.Api;
import dev.pixels.testing.TestClock;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** {@code GET /pixels/{x}/{y}}, the heatmap and the virgin map, against a real server on one instance. */
class PixelInfoTest {
  private static final Palette PALETTE = Palette.defaultPalette();
  private final TestClock clock = new TestClock(Instant.parse("2026-03-01T12:00:00.750Z"));

  private static WsClient painter(TestServer server) {
    WsClient client = server.connect();
    client.next("canvas:state");
    return client;
  }

  private static String userIdOf(WsClient client) {
    return client.seen().get(0).getJsonObject("data").getString("userId");
  }

  static void paintAcked(WsClient client, int x, int y, int color) {
    assertThat(client.answerTo(client.paint(x, y, PALETTE.color(color))).getString("type")).isEqualTo("pixel:ack");
  }

  static JsonObject lookup(TestServer server, int x, int y, String token) {
    HttpResponse<byte[]> r = new Api(server).get("/pixels/" + x + "/" + y, token);
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    return Api.json(r);
  }

  /** The lookup once the index has caught up with the seq the server reports. */
  static JsonObject lookupWhenIndexed(TestServer server, int x, int y, String token, int changes) {
    return await().atMost(Duration.ofSeconds(10)).until(() -> {
      HttpResponse<byte[]> r = new Api(server).get("/pixels/" + x + "/" + y, token);
      return r.statusCode() == 200 ? Api.json(r) : null;
    }, j -> j != null && j.getInteger("changes") == changes);
  }

  @Test
  void aLookupAfterPaintingGivesTimeColourCountAndAPseudonymButNotTheId() {
    try (TestServer server = TestServer.start(Map.of(), clock); WsClient client = painter(server)) {
      paintAcked(client, 3, 4, 5);
      clock.advance(Duration.ofSeconds(30));
      paintAcked(client, 3, 4, 7);
      JsonObject info = lookupWhenIndexed(server, 3, 4, null, 2);
      JsonObject placement = info.getJsonObject("placement");
      assertThat(info.getInteger("x")).isEqualTo(3);
      assertThat(info.getInteger("y")).isEqualTo(4);
      assertThat(placement.getInteger("color")).isEqualTo(7);
      assertThat(placement.getLong("time")).isEqualTo(Instant.parse("2026-03-01T12:00:30Z").toEpochMilli());
      assertThat(placement.getString("tool")).isEqualTo("brush");
      assertThat(placement.getLong("seq")).isEqualTo(server.server().seq());
      assertThat(placement.getString("by")).matches("painter-[0-9a-z]{10}");
      assertThat(placement.containsKey("userId")).isFalse();
      assertThat(info.encode()).doesNotContain(userIdOf(client)).doesNotContain("127.0.0.1");
    }
  }

  @Test
  void thePseudonymIsStablePerUserAndDiffersBetweenUsers() {
    try (TestServer server = TestServer.start(Map.of("SESSION_SECRET", "a-fixed-session-secret-0123456789"));
        WsClient alice = painter(server); WsClient bob = painter(server)) {
      paintAcked(alice, 1, 1, 2);
      paintAcked(alice, 2, 1, 3);
      paintAcked(bob, 3, 1, 4);
      String first = lookupWhenIndexed(server, 1, 1, null, 1).getJsonObject("placement").getString("by");
      String second = lookupWhenIndexed(server, 2, 1, null, 1).getJsonObject("placement").getString("by");
      String other = lookupWhenIndexed(server, 3, 1, null, 1).getJsonObject("placement").getString("by");
      assertThat(second).isEqualTo(first);
      assertThat(other).isNotEqualTo(first);
      assertThat(first).isEqualTo(new dev.pixels.identity.Pseudonyms("a-fixed-session-secret-0123456789")
          .of(userIdOf(alice)));
    }
  }

  @Test
  void anAdminLookupAlsoGivesTheRawUserIdAndAWrongTokenIsRefused() {
    try (TestServer server = TestServer.start(Map.of()); WsClient client = painter(server)) {
      paintAcked(client, 5, 5, 9);
      JsonObject info = lookupWhenIndexed(server, 5, 5, TestServer.ADMIN_TOKEN, 1);
      assertThat(info.getJsonObject("placement").getString("userId")).isEqualTo(userIdOf(client));
      assertThat(info.getJsonObject("placement").getString("by")).startsWith("painter-");
      HttpResponse<byte[]> wrong = new Api(server).get("/pixels/5/5", "not-the-admin-token");
      assertThat(wrong.statusCode()).isEqualTo(403);
      assertThat(new String(wrong.body())).doesNotContain(userIdOf(client));
    }
  }

  @Test
  void withShowUserOffThePublicAnswerSaysNothingOfWhoButAdminsStillSeeTheId() {
    try (TestServer server = TestServer.start(Map.of("PIXEL_INFO_SHOW_USER", "false"));
        WsClient client = painter(server)) {
      paintAcked(client, 6, 6, 3);
      JsonObject placement = lookupWhenIndexed(server, 6, 6, null, 1).getJsonObject("placement");
      assertThat(placement.containsKey("by")).isFalse();
      assertThat(placement.containsKey("userId")).isFalse();
      assertThat(placement.getInteger("color")).isEqualTo(3);
      assertThat(lookup(server, 6, 6, TestServer.ADMIN_TOKEN).getJsonObject("placement").getString("userId"))
          .isEqualTo(userIdOf(client));
    }
  }

  @Test
  void aPixelNeverPaintedIsAnsweredWithCountZeroAndNoPlacement() {
    try (TestServer server = TestServer.start(Map.of())) {
      JsonObject info = await().until(() -> {
        HttpResponse<byte[]> r = new Api(server).get("/pixels/899/899", null);
        return r.statusCode() == 200 ? Api.json(r) : null;
      }, j -> j != null);
      assertThat(info.getInteger("changes")).isZero();
      assertThat(info.getValue("placement")).isNull();
      assertThat(info.containsKey("placement")).isTrue();
    }
  }

  @Test
  void coordinatesOffTheCanvasOrNotWholeNumbersAreAnswered400NamingTheRange() {
    try (TestServer server = TestServer.start(Map.of())) {
      Api api = new Api(server);
      for (String bad : new String[] {"-1/0", "0/-1", "900/0", "0/900", "1e400/0", "0/1e400",
          "99999999999999999999999/0", "2147483648/0", "abc/1", "1.5/1", "%2B1/1", "0x10/1", "%20/1", "1/%D9%A3"}) {
        HttpResponse<byte[]> r = api.get("/pixels/" + bad, null);
        assertThat(r.statusCode()).as(bad).isEqualTo(400);
        assertThat(Api.json(r).getString("message")).as(bad).contains("0..899");
      }
      assertThat(api.get("/pixels/1", null).statusCode()).isEqualTo(404);
      assertThat(api.get("/pixels/1/2/3", null).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aLookupBeyondTheLimitIsAnswered429UntilTheWindowMovesOn() {
    try (TestServer server = TestServer.start(Map.of("REST_LIMIT_PIXEL_INFO", "20"), clock)) {
      Api api = new Api(server);
      await().until(() -> api.get("/canvas/virgin", null).statusCode() == 200);
      for (int i = 0; i < 20; i++) {
        assertThat(api.get("/pixels/" + i + "/0", null).statusCode()).as("lookup %d", i + 1).isEqualTo(200);
      }
      HttpResponse<byte[]> refused = api.get("/pixels/20/0", null);
      assertThat(refused.statusCode()).isEqualTo(429);
      long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
      assertThat(retryAfter).isBetween(1L, 120L);
      assertThat(api.get("/pixels/0/0", TestServer.ADMIN_TOKEN).statusCode()).as("admins are exempt").isEqualTo(200);
      clock.advance(Duration.ofSeconds(119));
      assertThat(api.get("/pixels/20/0", null).statusCode()).isEqualTo(429);
      clock.advance(Duration.ofSeconds(2));
      assertThat(api.get("/pixels/20/0", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aFloodOfLookupsGetsOnlyTheLimitAndLeavesTheIndexAsItWas() {
    try (TestServer server = TestServer.start(Map.of("REST_LIMIT_PIXEL_INFO", "20"), clock);
        WsClient client = painter(server)) {
      paintAcked(client, 0, 0, 1);
      lookupWhenIndexed(server, 0, 0, TestServer.ADMIN_TOKEN, 1);
      Api api = new Api(server);
      int answered = 0;
      int refused = 0;
      for (int i = 0; i < 2_000; i++) {
        int status = api.get("/pixels/" + (i % 900) + "/" + (i % 7), null).statusCode();
        answered += status == 200 ? 1 : 0;
        refused += status == 429 ? 1 : 0;
      }
      assertThat(answered).isEqualTo(20);
      assertThat(refused).isEqualTo(1_980);
      assertThat(lookup(server, 0, 0, TestServer.ADMIN_TOKEN).getInteger("changes")).isEqualTo(1);
    }
  }

  @Test
  void theIndexIsRebuiltFromTheStoreAfterARestart() throws IOException {
    Path dataDir = Files.createTempDirectory("pixels-info");
    Map<String, String> env = new HashMap<>(Map.of("STORAGE", "embedded", "DATA_DIR", dataDir.toString(),
        "SESSION_SECRET", "a-fixed-session-secret-0123456789", "CANVAS_CHECKPOINT_INTERVAL_MS", "100"));
    JsonObject before;
    try (TestServer server = TestServer.start(env, clock); WsClient client = painter(server)) {
      paintAcked(client, 7, 8, 2);
      paintAcked(client, 7, 8, 3);
      paintAcked(client, 7, 8, 4);
      paintAcked(client, 9, 9, 1);
      before = lookupWhenIndexed(server, 7, 8, TestServer.ADMIN_TOKEN, 3);
    }
    try (TestServer server = TestServer.start(env, clock)) {
      JsonObject after = lookupWhenIndexed(server, 7, 8, TestServer.ADMIN_TOKEN, 3);
      assertThat(after).isEqualTo(before);
      assertThat(lookupWhenIndexed(server, 9, 9, null, 1).getJsonObject("placement").getInteger("color")).isEqualTo(1);
      BufferedImage virgin = png(new Api(server).get("/canvas/virgin", null));
      assertThat(alpha(virgin, 7, 8)).isZero();
      assertThat(alpha(virgin, 8, 8)).isPositive();
    }
  }

  @Test
  void aRollbackCountsAsAChangeOfThePixel() {
    try (TestServer server = TestServer.start(Map.of(), clock); WsClient client = painter(server)) {
      paintAcked(client, 4, 4, 6);
      clock.advance(Duration.ofSeconds(5));
      HttpResponse<byte[]> r = new Api(server).post("/admin/rollback", new JsonObject().put("userId", userIdOf(client))
          .put("since", "2026-03-01T11:00:00Z"), TestServer.ADMIN_TOKEN);
      assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
      JsonObject placement = lookupWhenIndexed(server, 4, 4, null, 2).getJsonObject("placement");
      assertThat(placement.getString("tool")).isEqualTo("rollback");
      assertThat(placement.getInteger("color")).isZero();
    }
  }

  @Test
  void theHeatmapShowsRecentPlacementsAndTheVirginMapTheUntouchedPixels() throws IOException {
    try (TestServer server = TestServer.start(Map.of(), clock); WsClient client = painter(server)) {
      paintAcked(client, 10, 10, 5);
      clock.advance(Duration.ofMinutes(30));
      paintAcked(client, 20, 20, 5);
      lookupWhenIndexed(server, 20, 20, null, 1);
      Api api = new Api(server);
      HttpResponse<byte[]> r = api.get("/canvas/heatmap?window=1h", null);
      assertThat(r.headers().firstValue("Content-Type")).contains("image/png");
      assertThat(r.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=");
      BufferedImage heat = png(r);
      assertThat(heat.getWidth()).isEqualTo(900);
      assertThat(heat.getHeight()).isEqualTo(900);
      assertThat(alpha(heat, 20, 20)).as("just painted").isGreaterThan(alpha(heat, 10, 10));
      assertThat(alpha(heat, 10, 10)).as("painted half a window ago").isPositive();
      assertThat(alpha(heat, 11, 10)).as("never painted").isZero();
      BufferedImage recent = png(api.get("/canvas/heatmap?window=10m", null));
      assertThat(alpha(recent, 20, 20)).isPositive();
      assertThat(alpha(recent, 10, 10)).as("older than the window").isZero();
      BufferedImage virgin = png(api.get("/canvas/virgin", null));
      assertThat(alpha(virgin, 10, 10)).isZero();
      assertThat(alpha(virgin, 20, 20)).isZero();
      assertThat(alpha(virgin, 0, 0)).isPositive();
    }
  }

  @Test
  void heatmapWindowsThatAreNotDurationsOrOutOfRangeAreAnswered400() {
    try (TestServer server = TestServer.start(Map.of())) {
      Api api = new Api(server);
      for (String bad : new String[] {"0m", "59s", "8d", "169h", "-1h", "1e400h", "1h30m", "abc", "", "1",
          "99999999999999999999d", "9999999d", "1H", "%201h"}) {
        HttpResponse<byte[]> r = api.get("/canvas/heatmap?window=" + bad, null);
        assertThat(r.statusCode()).as(bad).isEqualTo(400);
        assertThat(Api.json(r).getString("message")).as(bad).contains("1m to 7d");
      }
      await().until(() -> api.get("/canvas/heatmap?window=7d", null).statusCode() == 200);
      assertThat(api.get("/canvas/heatmap", null).statusCode()).isEqualTo(200);
      assertThat(api.get("/canvas/heatmap?window=60s", null).statusCode()).isEqualTo(200);
    }
  }

  static BufferedImage png(HttpResponse<byte[]> r) throws IOException {
    assertThat(r.statusCode()).isEqualTo(200);
    return ImageIO.read(new ByteArrayInputStream(r.body()));
  }

  static int alpha(BufferedImage image, int x, int y) {
    return image.getRGB(x, y) >>> 24;
  }
}
