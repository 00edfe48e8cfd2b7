package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admin POST bodies: nothing a client sends is written to disk, the token is checked before a body
 * is read, and bodies are bounded.
 */
class AdminRequestBodiesTest {
  private static final String BOUNDARY = "----pixels-test-boundary";
  private static final Path UPLOADS = Path.of("file-uploads").toAbsolutePath();
  private TestServer server;
  private Api api;

  @BeforeEach
  void start() {
    server = TestServer.start();
    api = new Api(server);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static long filesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return -1;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private HttpResponse<byte[]> multipart(String path, String token) {
    String body = "--" + BOUNDARY + "\r\n"
        + "Content-Disposition: form-data; name=\"f\"; filename=\"payload.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n"
        + "x".repeat(4000) + "\r\n"
        + "--" + BOUNDARY + "--\r\n";
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return server.send(b.build());
  }

  @Test
  void anUnauthenticatedMultipartPostIsRefusedAndLeavesNoFileBehind() throws IOException {
    long before = filesUnder(UPLOADS);
    for (String path : new String[] {"/locks", "/admin/rollback", "/admin/rewind", "/admin/bans", "/admin/rollback/preview", "/admin/rewind/preview"}) {
      for (int i = 0; i < 5; i++) {
        assertThat(multipart(path, null).statusCode()).as(path).isEqualTo(401);
      }
    }
    assertThat(filesUnder(UPLOADS)).as("files under " + UPLOADS).isEqualTo(before);
  }

  @Test
  void anAdminMultipartPostIsRefusedAsNotJsonAndLeavesNoFileBehind() throws IOException {
    long before = filesUnder(UPLOADS);
    HttpResponse<byte[]> response = multipart("/locks", TestServer.ADMIN_TOKEN);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(filesUnder(UPLOADS)).as("files under " + UPLOADS).isEqualTo(before);
  }

  @Test
  void anAdminJsonPostStillWorks() {
    HttpResponse<byte[]> response = api.post("/locks",
        new JsonObject().put("x1", 1).put("y1", 1).put("x2", 5).put("y2", 5).put("reason", "test"), TestServer.ADMIN_TOKEN);
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(Api.json(response).getInteger("x2")).isEqualTo(5);
  }

  @Test
  void anAdminBodyOverTheLimitIsAnswered413() {
    String huge = "{\"reason\":\"" + "x".repeat(ModerationRoutes.MAX_BODY_BYTES) + "\"}";
    HttpResponse<byte[]> response = api.postRaw("/locks", huge, TestServer.ADMIN_TOKEN);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(Api.json(response).getString("error")).isEqualTo("payload_too_large");
  }

  @Test
  void everyClientSendingABodyOfAFewTimesTheLimitReadsThe413() {
    // The server answers on the head alone, while the body is still on its way: closing at once
    // with that body unread would reset the connection, and the reset could take the answer with
    // it (a few requests in a hundred, before the server read on before closing).
    String huge = "{\"reason\":\"" + "x".repeat(4 * ModerationRoutes.MAX_BODY_BYTES) + "\"}";
    for (int attempt = 0; attempt < 400; attempt++) {
      HttpResponse<byte[]> response = api.postRaw("/locks", huge, TestServer.ADMIN_TOKEN);
      assertThat(response.statusCode()).as("attempt %d", attempt).isEqualTo(413);
      assertThat(response.headers().firstValue("Connection")).as("attempt %d", attempt).hasValue("close");
    }
  }

  @Test
  void everyClientSendingABodyWithoutTheTokenReadsThe401() {
    // Refused on the head alone too, before the body handler: the same close must not lose it.
    String body = "{\"reason\":\"" + "x".repeat(4 * ModerationRoutes.MAX_BODY_BYTES) + "\"}";
    for (int attempt = 0; attempt < 400; attempt++) {
      HttpResponse<byte[]> response = api.postRaw("/admin/bans", body, null);
      assertThat(response.statusCode()).as("attempt %d", attempt).isEqualTo(401);
      assertThat(response.headers().firstValue("Connection")).as("attempt %d", attempt).hasValue("close");
    }
  }

  @Test
  void deeplyNestedAndNonObjectAdminBodiesAreAnswered400() {
    int depth = ModerationRoutes.MAX_BODY_BYTES / 8;
    String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    String arrays = "[".repeat(ModerationRoutes.MAX_BODY_BYTES / 2) + "]".repeat(ModerationRoutes.MAX_BODY_BYTES / 2);
    for (String body : new String[] {objects, arrays, "[1,2]", "\"text\"", "null", ""}) {
      for (String path : new String[] {"/locks", "/admin/bans", "/admin/rollback", "/admin/rewind", "/admin/rollback/preview", "/admin/rewind/preview"}) {
        HttpResponse<byte[]> response = api.postRaw(path, body, TestServer.ADMIN_TOKEN);
        assertThat(response.statusCode()).as("%s with %.20s", path, body).isEqualTo(400);
        assertThat(Api.json(response).getString("error")).isEqualTo("bad_request");
      }
    }
    assertThat(server.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aChunkedAdminBodyOverTheLimitIsAnswered413BeforeItEnds() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /locks HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestServer.ADMIN_TOKEN
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = ("1000\r\n" + "x".repeat(0x1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      // Twice the limit, and the body never ends: the answer must not wait for the rest. The server
      // may answer and close before all of it is written, so a write can fail; the answer that
      // arrived before the close is still there to read.
      try {
        for (int sent = 0; sent < 2 * ModerationRoutes.MAX_BODY_BYTES; sent += 0x1000) {
          out.write(chunk);
        }
        out.flush();
      } catch (SocketException closedByTheServer) {
        // expected at times: the server stopped reading once the limit was passed
      }
      assertThat(statusLine(socket.getInputStream())).startsWith("HTTP/1.1 413");
    }
  }

  @Test
  void anUnauthenticatedBodyIsRefusedWithoutWaitingForItAndTheConnectionIsClosed() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      // Announces 100 MB and sends only the head: the refusal must come at once.
      out.write(("POST /admin/bans HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(statusLine(in)).startsWith("HTTP/1.1 401");
      // The server stops writing after the refusal and does not wait for a body nobody is allowed
      // to send: the end of the answer arrives at once.
      byte[] rest = in.readAllBytes();
      assertThat(new String(rest, StandardCharsets.US_ASCII)).containsIgnoringCase("connection: close");
    }
    // The refused request is still timed and counted like any other.
    assertThat(new String(server.get("/metrics").body(), StandardCharsets.UTF_8))
        .containsPattern("pixels_http_requests_seconds_count\\{[^}]*route=\"/admin/bans\"[^}]*status=\"401\"");
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      line.append((char) c);
    }
    return line.toString().trim();
  }
}
