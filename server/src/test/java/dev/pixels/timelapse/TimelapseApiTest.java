package dev.pixels.timelapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestClock;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timelapse jobs over real HTTP against a real server: rendering, progress, download, refusals, restart. */
class TimelapseApiTest {
  private static final String ADMIN = TestServer.ADMIN_TOKEN;
  private static final int WHITE = 0xFFFFFF;
  private static final int BLACK = 0x000000;
  private static final int RED = 0xE50000;
  private final TestClock clock = TestClock.stoppedNow();
  private TestServer server;
  private Api api;

  private void start(Map<String, String> env) {
    server = TestServer.start(env, clock);
    api = new Api(server);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private WsClient painter() {
    String token = Api.json(api.post("/session", null, null)).getString("token");
    WsClient client = server.connect("?token=" + token);
    client.next("canvas:state");
    return client;
  }

  private static void paint(WsClient client, int x, int y, String color) {
    assertThat(client.answerTo(client.paint(x, y, color)).getString("type")).isEqualTo("pixel:ack");
  }

  /**
   * Paints a small history and returns a request over it: (0,0) black before the range, then
   * (1,1) red, (2,2) black and (1,1) black, two seconds apart, with frames every two seconds.
   */
  private JsonObject paintHistory() {
    Instant start = clock.instant();
    try (WsClient painter = painter()) {
      paint(painter, 0, 0, "#000000");
      clock.advance(Duration.ofSeconds(1));
      paint(painter, 1, 1, "#E50000");
      clock.advance(Duration.ofSeconds(2));
      paint(painter, 2, 2, "#000000");
      clock.advance(Duration.ofSeconds(2));
      paint(painter, 1, 1, "#000000");
    }
    return new JsonObject().put("x1", 0).put("y1", 0).put("x2", 9).put("y2", 9)
        .put("from", start.plusMillis(500).toString()).put("to", start.plusMillis(6500).toString())
        .put("everyMillis", 2000).put("fps", 10).put("scale", 3);
  }

  private JsonObject finished(String id) {
    JsonObject[] last = new JsonObject[1];
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      last[0] = Api.json(api.get("/timelapse/" + id, null));
      return !last[0].getString("status").equals("queued") && !last[0].getString("status").equals("running");
    });
    return last[0];
  }

  private String submit(JsonObject request) {
    HttpResponse<byte[]> r = api.post("/admin/timelapse", request, ADMIN);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(202);
    return Api.json(r).getString("id");
  }

  @Test
  void aJobRendersAGifWhoseFramesShowTheCanvasAtEachInterval() throws IOException {
    start(Map.of());
    String id = submit(paintHistory());
    JsonObject status = finished(id);
    assertThat(status.getString("status")).isEqualTo("done");
    assertThat(status.getInteger("frames")).isEqualTo(4);

    HttpResponse<byte[]> file = api.get(status.getString("download"), null);
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.headers().firstValue("Content-Type")).hasValue("image/gif");
    GifPlayback gif = GifPlayback.of(file.body());
    assertThat(gif.width).isEqualTo(30);
    assertThat(gif.height).isEqualTo(30);
    assertThat(gif.loops).isTrue();
    assertThat(gif.delaysCentis).containsOnly(10);
    assertThat(gif.pictures).hasSize(4);
    int[][] expected = { // (0,0), (1,1), (2,2), (3,3) at each frame
        {BLACK, WHITE, WHITE, WHITE},
        {BLACK, RED, WHITE, WHITE},
        {BLACK, RED, BLACK, WHITE},
        {BLACK, BLACK, BLACK, WHITE}};
    for (int frame = 0; frame < 4; frame++) {
      for (int p = 0; p < 4; p++) {
        assertThat(gif.rgb(frame, p, p, 3)).as("frame %d pixel (%d,%d)", frame, p, p)
            .isEqualTo(expected[frame][p]);
        // every output pixel of the 3x3 square has the colour
        assertThat(gif.pictures.get(frame).getRGB(p * 3 + 2, p * 3 + 2) & 0xFFFFFF).isEqualTo(expected[frame][p]);
      }
    }
  }

  @Test
  void aFrameEveryNPixelsShowsTheCanvasAfterEachNPlacements() throws IOException {
    start(Map.of());
    JsonObject request = paintHistory().copy();
    request.remove("everyMillis");
    request.put("everyPixels", 2).put("scale", 1);
    JsonObject status = finished(submit(request));
    GifPlayback gif = GifPlayback.of(api.get(status.getString("download"), null).body());
    // the start, after two placements, and after the third (the rest of the range)
    assertThat(gif.pictures).hasSize(3);
    assertThat(gif.rgb(0, 1, 1, 1)).isEqualTo(WHITE);
    assertThat(gif.rgb(1, 1, 1, 1)).isEqualTo(RED);
    assertThat(gif.rgb(1, 2, 2, 1)).isEqualTo(BLACK);
    assertThat(gif.rgb(2, 1, 1, 1)).isEqualTo(BLACK);
  }

  @Test
  void theStatusReportsProgressWithAnEtaAndWhenDoneADownloadLink() {
    start(Map.of());
    String id = submit(paintHistory());
    JsonObject early = Api.json(api.get("/timelapse/" + id, null));
    assertThat(early.getString("id")).isEqualTo(id);
    assertThat(early.getString("status")).isIn("queued", "running", "done");
    assertThat(early.getInteger("progress")).isBetween(0, 100);
    assertThat(early.containsKey("etaSeconds")).isTrue();
    JsonObject done = finished(id);
    assertThat(done.getInteger("progress")).isEqualTo(100);
    assertThat(done.getLong("etaSeconds")).isZero();
    assertThat(done.getString("download")).isEqualTo("/timelapse/" + id + "/file");
    assertThat(done.getLong("bytes")).isPositive();
    assertThat(api.get("/timelapse/" + "0".repeat(32), null).statusCode()).isEqualTo(404);
    assertThat(api.get("/timelapse/not-an-id", null).statusCode()).isEqualTo(404);
    assertThat(api.get("/timelapse/" + "0".repeat(32) + "/file", null).statusCode()).isEqualTo(404);
  }

  @Test
  void theDownloadIsImmutableWithAnETagAndAnswers304ToIfNoneMatch() {
    start(Map.of());
    JsonObject done = finished(submit(paintHistory()));
    HttpResponse<byte[]> file = server.get(done.getString("download"));
    String etag = file.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).matches("\"[0-9a-f]{64}\"");
    assertThat(file.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
    HttpResponse<byte[]> again = server.get(done.getString("download"), "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("ETag")).hasValue(etag);
    assertThat(server.get(done.getString("download"), "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
  }

  @Test
  void anUnauthenticatedPostIsAnswered401WithoutReadingTheBody() throws IOException {
    start(Map.of());
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      // Announces 100 MB and sends only the head: the refusal must come at once.
      out.write(("POST /admin/timelapse HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(head).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close");
    }
    assertThat(api.post("/admin/timelapse", new JsonObject(), "wrong-token-123456").statusCode()).isEqualTo(403);
  }

  @Test
  void badRequestsAreAnswered400NamingTheValidRange() {
    start(Map.of());
    JsonObject good = new JsonObject().put("from", "2025-01-01T00:00:00Z").put("to", "2025-01-01T01:00:00Z")
        .put("everyMillis", 60_000);
    Map<JsonObject, String> bad = new java.util.LinkedHashMap<>();
    bad.put(good.copy().put("x1", 0).put("y1", 0).put("x2", 900).put("y2", 10), "x2 must be in 0..899");
    bad.put(good.copy().put("x1", 0).put("y1", 0), "needs all of x1, y1, x2 and y2");
    bad.put(good.copy().put("x1", 5).put("y1", 0).put("x2", 4).put("y2", 10), "x1 <= x2");
    bad.put(good.copy().put("to", "2024-12-31T00:00:00Z"), "to must be after from");
    bad.put(good.copy().put("from", "yesterday"), "ISO-8601");
    bad.put(good.copy().put("from", "1970-01-01T00:00:00Z"), "between 2000-01-01");
    bad.put(good.copy().put("fps", 1000), "fps must be in 1..60");
    bad.put(good.copy().put("fps", 2.5), "fps must be a whole number in 1..60");
    bad.put(good.copy().put("scale", 0), "scale must be in 1..16");
    bad.put(good.copy().put("scale", 16), "each side must be at most 4096");
    bad.put(good.copy().put("everyMillis", 1), "at most 10000 are allowed, so everyMillis must be at least 361");
    bad.put(good.copy().put("everyMillis", Long.MAX_VALUE), "everyMillis must be in 1..604800000");
    bad.put(good.copy().put("everyPixels", 5), "exactly one of everyPixels and everyMillis");
    bad.put(good.copy().putNull("everyMillis"), "everyMillis is required");
    bad.put(good.copy().put("format", "bmp"), "format must be gif, mp4 or webm");
    bad.put(good.copy().put("colour", "red"), "unknown field 'colour'");
    for (Map.Entry<JsonObject, String> e : bad.entrySet()) {
      HttpResponse<byte[]> r = api.post("/admin/timelapse", e.getKey(), ADMIN);
      assertThat(r.statusCode()).as(e.getKey().encode()).isEqualTo(400);
      assertThat(Api.json(r).getString("message")).as(e.getKey().encode()).contains(e.getValue());
    }
    for (String body : new String[] {"[1]", "not json", "", "null"}) {
      assertThat(api.postRaw("/admin/timelapse", body, ADMIN).statusCode()).as(body).isEqualTo(400);
    }
    assertThat(api.postRaw("/admin/timelapse", "{\"x\":\"" + "y".repeat(8000) + "\"}", ADMIN).statusCode())
        .isEqualTo(413);
  }

  @Test
  void askingForVideoWithoutFfmpegIsAnswered400NamingTheTool() {
    start(Map.of("TIMELAPSE_FFMPEG", "pixels-test-no-such-ffmpeg"));
    JsonObject request = new JsonObject().put("from", "2025-01-01T00:00:00Z").put("to", "2025-01-01T01:00:00Z")
        .put("everyMillis", 60_000);
    for (String format : new String[] {"mp4", "webm"}) {
      HttpResponse<byte[]> r = api.post("/admin/timelapse", request.copy().put("format", format), ADMIN);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(Api.json(r).getString("message")).contains("needs ffmpeg").contains("pixels-test-no-such-ffmpeg");
    }
    assertThat(api.post("/admin/timelapse", request.copy().put("format", "gif"), ADMIN).statusCode()).isEqualTo(202);
  }

  @Test
  void aFinishedJobAndItsFileSurviveARestart(@TempDir Path dataDir) throws IOException {
    Map<String, String> env = new HashMap<>(Map.of("STORAGE", "embedded", "DATA_DIR", dataDir.toString()));
    start(env);
    String id = submit(paintHistory());
    JsonObject done = finished(id);
    HttpResponse<byte[]> before = api.get(done.getString("download"), null);
    server.close();
    server = null;
    assertThat(dataDir.resolve("timelapse").resolve(id + ".gif")).exists();
    assertThat(dataDir.resolve("timelapse").resolve(id + ".json")).exists();
    assertThat(mode(dataDir.resolve("timelapse"))).isEqualTo("rwx------");
    assertThat(mode(dataDir.resolve("timelapse").resolve(id + ".gif"))).isEqualTo("rw-------");
    assertThat(mode(dataDir.resolve("timelapse").resolve(id + ".json"))).isEqualTo("rw-------");

    start(env);
    JsonObject after = Api.json(api.get("/timelapse/" + id, null));
    assertThat(after.getString("status")).isEqualTo("done");
    assertThat(after.getInteger("frames")).isEqualTo(4);
    HttpResponse<byte[]> file = api.get(after.getString("download"), null);
    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.body()).isEqualTo(before.body());
    assertThat(file.headers().firstValue("ETag")).isEqualTo(before.headers().firstValue("ETag"));
  }

  private static String mode(Path file) throws IOException {
    return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void aMemoryServerKeepsItsFilesOutsideTheDataDirectory() throws IOException {
    start(Map.of());
    finished(submit(paintHistory()));
    assertThat(server.dataDir().resolve("timelapse")).doesNotExist();
    try (var files = Files.list(server.dataDir())) {
      assertThat(files).isEmpty();
    }
  }
}
