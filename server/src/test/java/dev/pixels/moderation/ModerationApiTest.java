package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.CanvasEditor.Edit;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The moderation REST API against a real server: statuses, audit, locks, repairs and their previews, bans. */
class ModerationApiTest {
  private static final String ADMIN = TestServer.ADMIN_TOKEN;
  private static final Palette PALETTE = Palette.defaultPalette();
  private final TestClock clock = TestClock.stoppedNow();
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

  private WsClient session() {
    String token = Api.json(api.post("/session", null, null)).getString("token");
    WsClient client = server.connect("?token=" + token);
    client.next("canvas:state");
    return client;
  }

  private static void paintAcked(WsClient client, int x, int y, String color) {
    assertThat(client.answerTo(client.paint(x, y, color)).getString("type")).isEqualTo("pixel:ack");
  }

  private static String userIdOf(WsClient client) {
    return client.seen().get(0).getJsonObject("data").getString("userId");
  }

  private int colorAt(int x, int y) {
    byte[] bitmap = server.get("/canvas").body();
    return bitmap[y * 900 + x] & 0xFF;
  }

  /** Moves the server's clock on and returns a time strictly between the changes before and after. */
  private Instant pause() {
    Instant t = clock.advance(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    return t;
  }

  @Test
  void everyAdminEndpointAnswers401WithoutATokenAnd403WithAWrongOne() {
    JsonObject lock = new JsonObject().put("x1", 0).put("y1", 0).put("x2", 1).put("y2", 1);
    record Call(String method, String path, JsonObject body) {}
    List<Call> calls = List.of(new Call("POST", "/locks", lock), new Call("DELETE", "/locks/0/0/1/1", null),
        new Call("GET", "/audit", null), new Call("POST", "/admin/rollback", new JsonObject()),
        new Call("POST", "/admin/rewind", new JsonObject()), new Call("GET", "/admin/bans", null),
        new Call("POST", "/admin/rollback/preview", new JsonObject()), new Call("POST", "/admin/rewind/preview", new JsonObject()),
        new Call("POST", "/admin/bans", new JsonObject()), new Call("DELETE", "/admin/bans/x", null),
        new Call("GET", "/canvas?at=2025-01-01T00:00:00Z", null), new Call("GET", "/canvas/image?at=2025-01-01T00:00:00Z", null));
    for (Call call : calls) {
      for (String token : new String[] {null, "not-the-admin-token"}) {
        HttpResponse<byte[]> r = switch (call.method()) {
          case "GET" -> api.get(call.path(), token);
          case "POST" -> api.post(call.path(), call.body(), token);
          default -> api.delete(call.path(), token);
        };
        assertThat(r.statusCode()).as("%s %s with %s", call.method(), call.path(), token).isEqualTo(token == null ? 401 : 403);
        assertThat(Api.json(r).getString("error")).isEqualTo(token == null ? "unauthorized" : "forbidden");
      }
    }
  }

  @Test
  void aLockIsCreatedListedBroadcastAndDeletedAndBadRectanglesAre400() {
    try (WsClient watcher = session()) {
      HttpResponse<byte[]> created = api.post("/locks", new JsonObject().put("x1", 5).put("y1", 6).put("x2", 7)
          .put("y2", 8).put("reason", "protect art"), ADMIN);
      assertThat(created.statusCode()).isEqualTo(201);
      JsonObject lock = Api.json(created);
      assertThat(lock.getString("createdBy")).isEqualTo("admin");
      assertThat(lock.getString("reason")).isEqualTo("protect art");
      assertThat(lock.getString("createdAt")).isNotBlank();
      assertThat(lock.getValue("expiresAt")).isNull();
      assertThat(watcher.next("moderation:lock").getJsonObject("data")).isEqualTo(lock);
      assertThat(Api.json(api.get("/locks", null)).getJsonArray("locks")).isEqualTo(new JsonArray().add(lock));

      assertThat(api.delete("/locks/5/6/7/8", ADMIN).statusCode()).isEqualTo(204);
      assertThat(watcher.next("moderation:unlock").getJsonObject("data")).isEqualTo(lock);
      assertThat(api.delete("/locks/5/6/7/8", ADMIN).statusCode()).isEqualTo(404);
      assertThat(Api.json(api.get("/locks", null)).getJsonArray("locks")).isEmpty();
    }
    for (JsonObject bad : List.of(
        new JsonObject().put("x1", 0).put("y1", 0).put("x2", 900).put("y2", 1),
        new JsonObject().put("x1", -1).put("y1", 0).put("x2", 3).put("y2", 1),
        new JsonObject().put("x1", 5).put("y1", 0).put("x2", 3).put("y2", 1),
        new JsonObject().put("x1", 0).put("y1", 4).put("x2", 3).put("y2", 1),
        new JsonObject().put("x1", 0.5).put("y1", 0).put("x2", 3).put("y2", 1),
        new JsonObject().put("x1", "0").put("y1", 0).put("x2", 3).put("y2", 1),
        new JsonObject().put("x1", 0).put("y1", 0).put("x2", 3).put("y2", 1).put("expiresAt", "tomorrow"))) {
      HttpResponse<byte[]> r = api.post("/locks", bad, ADMIN);
      assertThat(r.statusCode()).as(bad.encode()).isEqualTo(400);
      assertThat(Api.json(r).getString("error")).isEqualTo("bad_request");
    }
    assertThat(api.postRaw("/locks", "{not json", ADMIN).statusCode()).isEqualTo(400);
    assertThat(api.delete("/locks/a/0/1/1", ADMIN).statusCode()).isEqualTo(400);
  }

  @Test
  void theAuditLogFiltersByUserPixelRegionAndTimeAndPagesNewestFirst() {
    try (WsClient alice = session(); WsClient bob = session()) {
      paintAcked(alice, 1, 1, "#000000");
      paintAcked(alice, 2, 2, "#FF0000");
      Instant between = pause();
      paintAcked(bob, 1, 1, "#FF0000");
      paintAcked(alice, 50, 50, "#000000");

      JsonObject all = Api.json(api.get("/audit?limit=3", ADMIN));
      JsonArray entries = all.getJsonArray("entries");
      assertThat(entries.stream().map(e -> ((JsonObject) e).getLong("seq")).toList()).containsExactly(4L, 3L, 2L);
      assertThat(all.getLong("next")).isEqualTo(2);
      JsonObject newest = entries.getJsonObject(0);
      assertThat(newest.getString("action")).isEqualTo("pixel");
      assertThat(newest.getString("userId")).isEqualTo(userIdOf(alice));
      assertThat(newest.getString("color")).isEqualTo("#000000");
      assertThat(newest.getString("previousColor")).isEqualTo("#FFFFFF");
      assertThat(newest.getString("tool")).isEqualTo("brush");
      assertThat(Instant.parse(newest.getString("timestamp"))).isAfter(between);
      JsonObject rest = Api.json(api.get("/audit?limit=3&before=2", ADMIN));
      assertThat(rest.getJsonArray("entries").size()).isEqualTo(1);
      assertThat(rest.getValue("next")).isNull();

      assertThat(seqs("/audit?userId=" + userIdOf(bob))).containsExactly(3L);
      assertThat(seqs("/audit?x=1&y=1")).containsExactly(3L, 1L);
      assertThat(seqs("/audit?x1=0&y1=0&x2=2&y2=2")).containsExactly(3L, 2L, 1L);
      assertThat(seqs("/audit?since=" + between)).containsExactly(4L, 3L);
      assertThat(seqs("/audit?until=" + between)).containsExactly(2L, 1L);
      for (String bad : List.of("limit=0", "limit=1001", "limit=ten", "before=-1", "x=1", "x1=0&y1=0",
          "since=yesterday", "x=900&y=0", "type=everything")) {
        assertThat(api.get("/audit?" + bad, ADMIN).statusCode()).as(bad).isEqualTo(400);
      }
    }
  }

  private List<Long> seqs(String path) {
    HttpResponse<byte[]> r = api.get(path, ADMIN);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return Api.json(r).getJsonArray("entries").stream().map(e -> ((JsonObject) e).getLong("seq")).toList();
  }

  @Test
  void rollbackRestoresTheGriefersPixelsButNeverOverwritesNewerWorkByOthers() {
    try (WsClient artist = session(); WsClient griefer = session(); WsClient watcher = session()) {
      paintAcked(artist, 10, 10, "#FF0000");
      paintAcked(artist, 11, 10, "#FF0000");
      Instant since = pause();
      paintAcked(griefer, 10, 10, "#000000");
      paintAcked(griefer, 10, 10, "#FFFFFF"); // twice on one pixel: back to before the first
      paintAcked(griefer, 11, 10, "#000000");
      paintAcked(griefer, 12, 10, "#000000");
      paintAcked(artist, 11, 10, PALETTE.color(3));
      int artistsRepaint = 3;
      long seqBefore = server.server().seq();

      HttpResponse<byte[]> r = api.post("/admin/rollback", new JsonObject().put("userId", userIdOf(griefer))
          .put("since", since.toString()), ADMIN);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonObject result = Api.json(r);
      assertThat(result.getInteger("pixelsChanged")).isEqualTo(2);
      assertThat(result.getLong("fromSeq")).isEqualTo(seqBefore + 1);
      assertThat(result.getLong("toSeq")).isEqualTo(seqBefore + 2);
      assertThat(colorAt(10, 10)).isEqualTo(PALETTE.indexOf("#FF0000"));
      assertThat(colorAt(11, 10)).as("the artist's newer work stays").isEqualTo(artistsRepaint);
      assertThat(colorAt(12, 10)).isEqualTo(0);
      JsonObject bulk = watcher.next(m -> "pixel:bulk_update".equals(m.getString("type"))
          && m.getJsonObject("data").getLong("toSeq") == seqBefore + 2, Duration.ofSeconds(5), "rollback batch");
      assertThat(bulk.getJsonObject("data").getJsonArray("pixels").size()).isEqualTo(2);
      assertThat(seqs("/audit?limit=2")).containsExactly(seqBefore + 2, seqBefore + 1);
      JsonObject logged = Api.json(api.get("/audit?limit=1", ADMIN)).getJsonArray("entries").getJsonObject(0);
      assertThat(logged.getString("tool")).isEqualTo("rollback");
      assertThat(logged.getString("userId")).isEqualTo("admin");
    }
  }

  @Test
  void rewindPaintsARegionBackToHowItWasAtAGivenTime() {
    try (WsClient painter = session()) {
      paintAcked(painter, 20, 20, "#FF0000");
      Instant then = pause();
      paintAcked(painter, 20, 20, "#000000");
      paintAcked(painter, 21, 20, "#000000");
      paintAcked(painter, 30, 30, "#000000"); // outside the region
      HttpResponse<byte[]> r = api.post("/admin/rewind", new JsonObject().put("x1", 20).put("y1", 20).put("x2", 25)
          .put("y2", 25).put("to", then.toString()), ADMIN);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(Api.json(r).getInteger("pixelsChanged")).isEqualTo(2);
      assertThat(colorAt(20, 20)).isEqualTo(PALETTE.indexOf("#FF0000"));
      assertThat(colorAt(21, 20)).isZero();
      assertThat(colorAt(30, 30)).isEqualTo(PALETTE.indexOf("#000000"));
      assertThat(api.post("/admin/rewind", new JsonObject().put("x1", 0).put("y1", 0).put("x2", 1).put("y2", 1),
          ADMIN).statusCode()).isEqualTo(400);
    }
  }

  @Test
  void theCanvasAtAnEarlierTimeIsServedToAdminsAsBitmapAndPng() {
    try (WsClient painter = session()) {
      paintAcked(painter, 3, 4, "#FF0000");
      Instant then = pause();
      paintAcked(painter, 3, 4, "#000000");
      paintAcked(painter, 5, 5, "#000000");
      HttpResponse<byte[]> old = api.get("/canvas?at=" + then, ADMIN);
      assertThat(old.statusCode()).isEqualTo(200);
      assertThat(old.headers().firstValue("X-Canvas-Seq")).hasValue("1");
      assertThat(old.body()[4 * 900 + 3] & 0xFF).isEqualTo(PALETTE.indexOf("#FF0000"));
      assertThat(old.body()[5 * 900 + 5]).isZero();
      HttpResponse<byte[]> png = api.get("/canvas/image?at=" + then, ADMIN);
      assertThat(png.statusCode()).isEqualTo(200);
      assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
      assertThat(api.get("/canvas?at=whenever", ADMIN).statusCode()).isEqualTo(400);
      assertThat(server.get("/canvas").body()[4 * 900 + 3] & 0xFF).isEqualTo(PALETTE.indexOf("#000000"));
    }
  }

  @Test
  void aBanWithRollbackSinceRevertsTheUserInTheSameCallAndBansAreListedAndLifted() {
    try (WsClient griefer = session()) {
      Instant since = pause();
      paintAcked(griefer, 7, 7, "#000000");
      HttpResponse<byte[]> r = api.post("/admin/bans", new JsonObject().put("userId", userIdOf(griefer))
          .put("reason", "griefing").put("rollbackSince", since.toString()), ADMIN);
      assertThat(r.statusCode()).isEqualTo(201);
      JsonObject ban = Api.json(r);
      assertThat(ban.getJsonObject("rollback").getInteger("pixelsChanged")).isEqualTo(1);
      assertThat(colorAt(7, 7)).isZero();
      JsonArray bans = Api.json(api.get("/admin/bans", ADMIN)).getJsonArray("bans");
      assertThat(bans.size()).isEqualTo(1);
      assertThat(bans.getJsonObject(0).getString("userId")).isEqualTo(userIdOf(griefer));
      assertThat(api.post("/admin/bans", new JsonObject(), ADMIN).statusCode()).isEqualTo(400);
      assertThat(api.post("/admin/bans", new JsonObject().put("userId", "a").put("ip", "1.2.3.4"), ADMIN).statusCode())
          .isEqualTo(400);
      assertThat(api.delete("/admin/bans/" + ban.getString("id"), ADMIN).statusCode()).isEqualTo(204);
      assertThat(api.delete("/admin/bans/" + ban.getString("id"), ADMIN).statusCode()).isEqualTo(404);
      paintAcked(griefer, 7, 7, "#000000");

      List<String> actions = Api.json(api.get("/audit?type=moderation", ADMIN)).getJsonArray("entries").stream()
          .map(e -> ((JsonObject) e).getString("action")).toList();
      assertThat(actions).containsExactly("unban", "ban");
    }
  }

  @Test
  void restReadsOverTheirPerMinuteLimitGet429WithRetryAfterAndAdminsSkipTheCanvasLimit() {
    try (TestServer limited = TestServer.start(Map.of("REST_LIMIT_CANVAS_PER_MINUTE", "2",
        "REST_LIMIT_AUDIT_PER_MINUTE", "1"))) {
      Api limitedApi = new Api(limited);
      assertThat(limited.get("/canvas").statusCode()).isEqualTo(200);
      assertThat(limited.get("/canvas/image").statusCode()).isEqualTo(200);
      HttpResponse<byte[]> refused = limited.get("/canvas");
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
      assertThat(Api.json(refused).getString("error")).isEqualTo("rate_limited");
      assertThat(limitedApi.get("/canvas", ADMIN).statusCode()).isEqualTo(200);
      assertThat(limitedApi.get("/palette", null).statusCode()).isEqualTo(200);

      assertThat(limitedApi.get("/audit", ADMIN).statusCode()).isEqualTo(200);
      assertThat(limitedApi.get("/audit", ADMIN).statusCode()).isEqualTo(429);
    }
  }

  private JsonObject ok(HttpResponse<byte[]> r) {
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    return Api.json(r);
  }

  private int moderationEntries() {
    return Api.json(api.get("/audit?type=moderation", ADMIN)).getJsonArray("entries").size();
  }

  @Test
  void aRollbackPreviewListsThePixelsTheRollbackThenChangesAndChangesNothingItself() {
    try (WsClient artist = session(); WsClient griefer = session()) {
      paintAcked(artist, 10, 10, "#FF0000");
      paintAcked(artist, 11, 10, "#FF0000");
      Instant since = pause();
      paintAcked(griefer, 10, 10, "#000000");
      paintAcked(griefer, 11, 10, "#000000");
      paintAcked(griefer, 12, 10, "#000000");
      paintAcked(artist, 11, 10, PALETTE.color(3)); // newer work by someone else: not in the preview
      long seq = server.server().seq();
      byte[] canvas = server.get("/canvas").body();
      JsonObject body = new JsonObject().put("userId", userIdOf(griefer)).put("since", since.toString());

      JsonObject preview = ok(api.post("/admin/rollback/preview", body, ADMIN));

      assertThat(preview.getInteger("pixelsChanged")).isEqualTo(2);
      assertThat(preview.getBoolean("truncated")).isFalse();
      assertThat(preview.getJsonArray("pixels")).isEqualTo(new JsonArray()
          .add(new JsonObject().put("x", 10).put("y", 10).put("color", "#FF0000").put("currentColor", "#000000"))
          .add(new JsonObject().put("x", 12).put("y", 10).put("color", PALETTE.color(0)).put("currentColor", "#000000")));
      assertThat(server.server().seq()).as("no pixel changed").isEqualTo(seq);
      assertThat(Arrays.equals(server.get("/canvas").body(), canvas)).isTrue();
      assertThat(moderationEntries()).as("a preview is not audited").isZero();

      JsonObject done = ok(api.post("/admin/rollback", body, ADMIN));
      assertThat(done.getInteger("pixelsChanged")).isEqualTo(preview.getInteger("pixelsChanged"));
      assertThat(ok(api.post("/admin/rollback/preview", body, ADMIN)).getInteger("pixelsChanged"))
          .as("nothing left to roll back").isZero();
    }
  }

  @Test
  void aRewindPreviewListsTheRegionsPixelsAsTheyWereAndChangesNothing() {
    try (WsClient painter = session()) {
      paintAcked(painter, 20, 20, "#FF0000");
      Instant then = pause();
      paintAcked(painter, 20, 20, "#000000");
      paintAcked(painter, 21, 20, "#000000");
      paintAcked(painter, 30, 30, "#000000"); // outside the region
      long seq = server.server().seq();
      JsonObject body = new JsonObject().put("x1", 20).put("y1", 20).put("x2", 25).put("y2", 25).put("to", then.toString());

      JsonObject preview = ok(api.post("/admin/rewind/preview", body, ADMIN));

      assertThat(preview.getInteger("pixelsChanged")).isEqualTo(2);
      assertThat(preview.getJsonArray("pixels")).isEqualTo(new JsonArray()
          .add(new JsonObject().put("x", 20).put("y", 20).put("color", "#FF0000").put("currentColor", "#000000"))
          .add(new JsonObject().put("x", 21).put("y", 20).put("color", PALETTE.color(0)).put("currentColor", "#000000")));
      assertThat(server.server().seq()).isEqualTo(seq);
      assertThat(moderationEntries()).isZero();
      assertThat(api.post("/admin/rewind/preview", new JsonObject().put("x1", 0).put("y1", 0).put("x2", 1).put("y2", 1),
          ADMIN).statusCode()).as("no time").isEqualTo(400);
      assertThat(api.post("/admin/rollback/preview", new JsonObject().put("since", then.toString()), ADMIN).statusCode())
          .as("no user").isEqualTo(400);
    }
  }

  @Test
  void aPreviewListsAtMostItsCapAndCountsTheRest() {
    List<Edit> edits = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      edits.add(new Edit(i, 0, 1, 0));
    }
    Moderation.Preview preview = Moderation.Preview.of(edits, 10);
    assertThat(preview.pixelsChanged()).isEqualTo(25);
    assertThat(preview.pixels()).isEqualTo(edits.subList(0, 10));
    JsonObject json = ModerationJson.preview(preview, PALETTE);
    assertThat(json.getJsonArray("pixels").size()).isEqualTo(10);
    assertThat(json.getBoolean("truncated")).isTrue();
  }
}
