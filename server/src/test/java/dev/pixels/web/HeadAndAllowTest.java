package dev.pixels.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HEAD is answered wherever GET is, without a body; a 405 names the methods the path allows. */
class HeadAndAllowTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("CANVAS_WIDTH", "20", "CANVAS_HEIGHT", "10"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A raw HTTP/1.1 exchange: status, headers (lower-case names) and the bytes after the head. */
  private record Answer(int status, Map<String, String> headers, int bodyBytes) {}

  private static Answer exchange(String method, String path, String... headers) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
      for (int i = 0; i < headers.length; i += 2) {
        request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      byte[] all = socket.getInputStream().readAllBytes();
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      String[] lines = text.substring(0, end).split("\r\n");
      Map<String, String> parsed = new HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        parsed.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      return new Answer(Integer.parseInt(lines[0].split(" ")[1]), parsed, all.length - end - 4);
    }
  }

  @Test
  void everyGetRouteAnswersHeadWithTheSameStatusAndHeadersAndNoBody() throws IOException {
    String[][] cases = {{"/", null}, {"/health", null}, {"/ready", null}, {"/palette", null}, {"/metrics", null},
        {"/openapi.json", null}, {"/locks", null}, {"/canvas", null}, {"/canvas/image", null}, {"/app/", null},
        {"/app", null}, {"/ws", null}, {"/audit", TestServer.ADMIN_TOKEN}, {"/admin/bans", TestServer.ADMIN_TOKEN}};
    for (String[] c : cases) {
      String[] auth = c[1] == null ? new String[0] : new String[] {"Authorization", "Bearer " + c[1]};
      Answer get = exchange("GET", c[0], auth);
      Answer head = exchange("HEAD", c[0], auth);
      assertThat(head.status()).as("HEAD %s", c[0]).isEqualTo(get.status());
      assertThat(head.status()).as("HEAD %s", c[0]).isNotEqualTo(405);
      assertThat(head.headers().get("content-type")).as("HEAD %s content-type", c[0])
          .isEqualTo(get.headers().get("content-type"));
      assertThat(head.bodyBytes()).as("HEAD %s body", c[0]).isZero();
    }
  }

  @Test
  void aMethodNotAllowedAnswerNamesTheAllowedMethods() throws IOException {
    String[][] cases = {{"DELETE", "/health", "GET, HEAD"}, {"PUT", "/locks", "GET, HEAD, POST"},
        {"POST", "/admin/bans/ban-1", "DELETE"}, {"MADEUP", "/palette", "GET, HEAD"},
        {"DELETE", "/canvas", "GET, HEAD"}, {"GET", "/session", "POST"}, {"POST", "/app/app.js", "GET, HEAD"}};
    for (String[] c : cases) {
      Answer answer = exchange(c[0], c[1]);
      assertThat(answer.status()).as("%s %s", c[0], c[1]).isEqualTo(405);
      assertThat(answer.headers().get("allow")).as("%s %s", c[0], c[1]).isEqualTo(c[2]);
    }
  }
}
