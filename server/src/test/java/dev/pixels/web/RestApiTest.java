package dev.pixels.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.Palette;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RestApiTest {
  private static TestServer server;
  private static final Palette PALETTE = Palette.defaultPalette();

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("CANVAS_WIDTH", "40", "CANVAS_HEIGHT", "30"));
    try (WsClient painter = server.connect()) {
      painter.answerTo(painter.paint(3, 4, "#FF0000"));
      painter.answerTo(painter.paint(39, 29, "#000000"));
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsonObject json(HttpResponse<byte[]> response) {
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    return new JsonObject(new String(response.body()));
  }

  @Test
  void theRootDescribesTheServerToApiClients() {
    JsonObject status = json(server.get("/"));
    assertThat(status.getString("name")).isEqualTo("pixels");
    assertThat(status.getJsonObject("canvas").getInteger("width")).isEqualTo(40);
    assertThat(status.getJsonObject("canvas").getInteger("height")).isEqualTo(30);
    assertThat(status.getLong("seq")).isEqualTo(2);
    assertThat(status.getInteger("clients")).isNotNull();
    assertThat(status.getLong("uptimeSeconds")).isNotNegative();
    assertThat(status.getString("version")).isNotBlank();
  }

  @Test
  void aBrowserAskingForTheRootIsSentToTheWebPage() {
    HttpResponse<byte[]> response = server.get("/", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("location")).hasValue("/app/");
  }

  @Test
  void healthIsOkWhileTheStoreIsUsable() {
    HttpResponse<byte[]> response = server.get("/health");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).getString("status")).isEqualTo("ok");
  }

  @Test
  void thePaletteListsColoursInIndexOrder() {
    JsonObject palette = json(server.get("/palette"));
    assertThat(palette.getJsonArray("colors").stream().map(String.class::cast).toList()).isEqualTo(PALETTE.colors());
  }

  @Test
  void theCanvasIsTheRowMajorBitmapWithSizeSeqAndHashHeaders() {
    HttpResponse<byte[]> response = server.get("/canvas");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
    byte[] body = response.body();
    assertThat(body).hasSize(40 * 30);
    assertThat(body[4 * 40 + 3] & 0xFF).isEqualTo(PALETTE.indexOf("#FF0000"));
    assertThat(body[29 * 40 + 39] & 0xFF).isEqualTo(PALETTE.indexOf("#000000"));
    assertThat(response.headers().firstValue("X-Canvas-Width")).hasValue("40");
    assertThat(response.headers().firstValue("X-Canvas-Height")).hasValue("30");
    assertThat(response.headers().firstValue("X-Canvas-Seq")).hasValue("2");
    assertThat(response.headers().firstValue("ETag")).hasValue("\"" + Canvas.sha256Hex(body) + "\"");
  }

  @Test
  void theCanvasIsGzippedForClientsThatAcceptIt() throws IOException {
    HttpResponse<byte[]> plain = server.get("/canvas");
    HttpResponse<byte[]> gzipped = server.get("/canvas", "Accept-Encoding", "gzip, deflate");
    assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
    assertThat(gzipped.body().length).isLessThan(plain.body().length);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
      assertThat(in.readAllBytes()).isEqualTo(plain.body());
    }
    assertThat(server.get("/canvas", "Accept-Encoding", "gzip;q=0").headers().firstValue("content-encoding")).isEmpty();
  }

  @Test
  void aClientWithTheCurrentEtagGets304WithoutABody() {
    String etag = server.get("/canvas").headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> response = server.get("/canvas", "If-None-Match", etag);
    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(response.body()).isEmpty();
    assertThat(server.get("/canvas", "If-None-Match", "\"stale\"").statusCode()).isEqualTo(200);
    assertThat(server.get("/canvas/image", "If-None-Match", etag).statusCode()).isEqualTo(304);
  }

  @Test
  void theImageIsAPngInThePaletteColours() throws IOException {
    HttpResponse<byte[]> response = server.get("/canvas/image");
    assertThat(response.headers().firstValue("content-type")).hasValue("image/png");
    assertThat(response.headers().firstValue("X-Canvas-Seq")).hasValue("2");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
    assertThat(image.getWidth()).isEqualTo(40);
    assertThat(image.getHeight()).isEqualTo(30);
    byte[] bitmap = server.get("/canvas").body();
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        assertThat(image.getRGB(x, y) & 0xFFFFFF).isEqualTo(PALETTE.rgb(bitmap[y * 40 + x] & 0xFF));
      }
    }
  }

  @Test
  void unknownRoutesAndMethodsGetJsonErrors() {
    HttpResponse<byte[]> missing = server.get("/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).getString("error")).isEqualTo("not_found");
    HttpResponse<byte[]> wrongMethod = server.send(java.net.http.HttpRequest.newBuilder(server.uri("/palette"))
        .DELETE().build());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(json(wrongMethod).getString("error")).isEqualTo("method_not_allowed");
  }

  @Test
  void aBadSinceSeqIsRefusedBeforeTheUpgrade() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.connect("?sinceSeq=abc"))
        .hasRootCauseInstanceOf(io.vertx.core.http.UpgradeRejectedException.class)
        .rootCause()
        .satisfies(e -> assertThat(((io.vertx.core.http.UpgradeRejectedException) e).getStatus()).isEqualTo(400));
  }
}
