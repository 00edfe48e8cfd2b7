package dev.pixels.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lingering close of a refused body: the answer ends the client's reading at once, the server
 * reads on and throws the rest away, and the connection closes when the body ends or a bound is
 * reached, whichever comes first.
 */
class RefusedBodyTest {
  private final Vertx vertx = Vertx.vertx();
  private final CompletableFuture<Long> closedAtNanos = new CompletableFuture<>();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** A server answering every POST 413 with {@link Http#closeUnreadBody} and the given bounds. */
  private int serverRefusingBodies(long maxBytes, long maxMillis) {
    Router router = Router.router(vertx);
    router.post("/refuse").handler(ctx -> {
      Http.closeUnreadBody(ctx, maxBytes, maxMillis);
      Http.error(ctx, 413, "payload_too_large", "the request body is too large");
    });
    HttpServer server = vertx.createHttpServer()
        .connectionHandler(c -> c.closeHandler(v -> closedAtNanos.complete(System.nanoTime())))
        .requestHandler(router);
    return server.listen(0, "127.0.0.1").await().actualPort();
  }

  private static byte[] head(long contentLength) {
    return ("POST /refuse HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
        + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void aClientThatStopsSendingReadsTheWholeAnswerAtOnceAndIsClosedAfterTheDrainTime() throws Exception {
    long maxMillis = 2000;
    int port = serverRefusingBodies(Http.REFUSED_BODY_MAX_BYTES, maxMillis);
    long sentAt = System.nanoTime();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(head(100_000_000));
      out.write('{');
      out.flush();
      // The server stops writing after the answer: the client sees its end without waiting.
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close").contains("payload_too_large");
      assertThat(closedAtNanos).as("closed before the drain time").isNotDone();
      long closedAt = closedAtNanos.get(10, TimeUnit.SECONDS);
      assertThat(TimeUnit.NANOSECONDS.toMillis(closedAt - sentAt)).isGreaterThanOrEqualTo(maxMillis);
    }
  }

  @Test
  void aBodyThatGoesOnPastTheDrainBytesIsCutOffWithoutWaitingForTheDrainTime() throws Exception {
    int maxBytes = 64 * 1024;
    int port = serverRefusingBodies(maxBytes, TimeUnit.MINUTES.toMillis(10));
    long announced = 100_000_000;
    long sent = 0;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(head(announced));
      byte[] chunk = new byte[16 * 1024];
      try {
        while (sent < announced) {
          out.write(chunk);
          sent += chunk.length;
        }
      } catch (IOException closedByTheServer) {
        // expected: the server closed once it had thrown away its share of the body
      }
    }
    assertThat(sent).as("bytes the client could send").isLessThan(announced);
    assertThat(closedAtNanos.get(10, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void aBodyThatEndsClosesTheConnectionAsSoonAsItIsRead() throws Exception {
    int port = serverRefusingBodies(Http.REFUSED_BODY_MAX_BYTES, TimeUnit.MINUTES.toMillis(10));
    byte[] body = new byte[256 * 1024];
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(head(body.length));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 413");
      assertThat(closedAtNanos.get(5, TimeUnit.SECONDS)).isNotNull();
    }
  }
}
