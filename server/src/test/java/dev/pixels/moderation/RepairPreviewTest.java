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

/** The previews of a rollback and a rewind against a real server: what they list, and that they change nothing. */
class RepairPreviewTest {
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

  private Instant pause() {
    Instant t = clock.advance(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    return t;
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
