package dev.pixels.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Clients that open connections and never finish a request (slowloris) are capped per address and
 * closed after a bounded time, while other clients keep being answered and healthy WebSockets stay.
 */
class SlowClientsTest {
  private static final String PARTIAL_HEAD = "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";

  private static Socket open(TestServer server, String from) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** True if the server closes {@code socket} within {@code within}, having sent nothing but an optional answer. */
  private static boolean closedWithin(Socket socket, Duration within) throws IOException {
    socket.setSoTimeout((int) within.toMillis());
    InputStream in = socket.getInputStream();
    try {
      while (in.read() != -1) {
        // an answer (e.g. 408) before the close is fine
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /** Reads one answer to a GET /health up to the end of its JSON body; returns the status line. */
  private static String readAnswerHead(Socket socket) throws IOException {
    socket.setSoTimeout(5000);
    InputStream in = socket.getInputStream();
    StringBuilder text = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      text.append((char) c);
      if (c == '}' && text.indexOf("\r\n\r\n") > 0) {
        break;
      }
    }
    return text.toString().lines().findFirst().orElse("");
  }

  /** The whole answer to one GET of {@code path}, over a fresh connection from address {@code from}. */
  private static String get(TestServer server, String from, String path) throws IOException {
    try (Socket socket = open(server, from)) {
      socket.setSoTimeout(5000);
      send(socket, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String health(TestServer server, String from) throws IOException {
    return get(server, from, "/health").lines().findFirst().orElse("");
  }

  @Test
  void connectionsBeyondThePerAddressCapAreClosedAndOtherAddressesAreStillAnswered() throws IOException {
    try (TestServer server = TestServer.start(Map.of("MAX_HTTP_CONNECTIONS_PER_IP", "5",
        "HTTP_HEADER_TIMEOUT_MS", "60000"))) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 5; i++) {
          Socket s = open(server, "127.0.0.1");
          // One whole request first, answered, so the server has surely counted this connection
          // before the next one is opened; then half of the next request, held.
          send(s, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
          assertThat(readAnswerHead(s)).startsWith("HTTP/1.1 200");
          send(s, PARTIAL_HEAD);
          held.add(s);
        }
        for (int i = 0; i < 3; i++) {
          try (Socket extra = open(server, "127.0.0.1")) {
            send(extra, PARTIAL_HEAD);
            assertThat(closedWithin(extra, Duration.ofSeconds(5))).as("connection %d over the cap", i + 1).isTrue();
          }
        }
        assertThat(health(server, "127.0.0.2")).startsWith("HTTP/1.1 200");
        assertThat(get(server, "127.0.0.2", "/metrics"))
            .contains("pixels_http_connections_closed_total{reason=\"over_cap\"} 3.0");
        for (Socket s : held) {
          assertThat(closedWithin(s, Duration.ofMillis(200))).as("a held connection within the cap").isFalse();
        }
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  @Test
  void aConnectionThatStallsOrTricklesItsHeadIsClosedAfterTheHeaderTimeout() throws Exception {
    try (TestServer server = TestServer.start(Map.of("HTTP_HEADER_TIMEOUT_MS", "1000"))) {
      try (Socket stalled = open(server, "127.0.0.1"); Socket trickling = open(server, "127.0.0.1");
          Socket silent = open(server, "127.0.0.1")) {
        send(stalled, PARTIAL_HEAD);
        long started = System.nanoTime();
        // A byte every 200 ms keeps an idle timer happy, but not the head deadline.
        Thread trickle = Thread.ofVirtual().start(() -> {
          try {
            for (int i = 0; i < 100; i++) {
              send(trickling, i == 0 ? PARTIAL_HEAD : "a");
              Thread.sleep(200);
            }
          } catch (IOException | InterruptedException e) {
            // closed by the server: what the test waits for
          }
        });
        assertThat(closedWithin(stalled, Duration.ofSeconds(5))).as("stalled head").isTrue();
        assertThat(closedWithin(trickling, Duration.ofSeconds(5))).as("trickled head").isTrue();
        assertThat(closedWithin(silent, Duration.ofSeconds(5))).as("connection that sends nothing").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
        trickle.join(5000);
        assertThat(health(server, "127.0.0.1")).startsWith("HTTP/1.1 200");
        assertThat(new String(server.get("/metrics").body(), StandardCharsets.UTF_8))
            .contains("pixels_http_connections_closed_total{reason=\"head_timeout\"} 3.0");
      }
    }
  }

  @Test
  void aKeptAliveConnectionOwesItsNextHeadWithinTheHeaderTimeout() throws IOException {
    try (TestServer server = TestServer.start(Map.of("HTTP_HEADER_TIMEOUT_MS", "1000"))) {
      try (Socket socket = open(server, "127.0.0.1")) {
        send(socket, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n" + PARTIAL_HEAD);
        assertThat(closedWithin(socket, Duration.ofSeconds(5))).isTrue();
      }
    }
  }

  @Test
  void aConnectionWhoseWebSocketUpgradeIsRefusedOwesItsNextHeadToo() throws IOException {
    try (TestServer server = TestServer.start(Map.of("HTTP_HEADER_TIMEOUT_MS", "1000", "MAX_CONNECTIONS_PER_IP", "1"));
        WsClient first = server.connect()) {
      first.next("canvas:state");
      try (Socket socket = open(server, "127.0.0.1")) {
        send(socket, "GET /ws HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        assertThat(closedWithin(socket, Duration.ofSeconds(5))).isTrue();
      }
    }
  }

  @Test
  void anUpgradeHeaderOnAnOrdinaryRequestDoesNotExemptTheNextHead() throws IOException {
    try (TestServer server = TestServer.start(Map.of("HTTP_HEADER_TIMEOUT_MS", "1000"))) {
      try (Socket socket = open(server, "127.0.0.1")) {
        send(socket, "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
            + PARTIAL_HEAD);
        assertThat(closedWithin(socket, Duration.ofSeconds(5))).isTrue();
      }
    }
  }

  @Test
  void aStalledBodyIsClosedAfterTheIdleTimeout() throws IOException {
    try (TestServer server = TestServer.start(Map.of("HTTP_IDLE_TIMEOUT_MS", "1000", "WS_PING_INTERVAL_MS", "400"))) {
      try (Socket socket = open(server, "127.0.0.1")) {
        send(socket, "POST /session HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n{\"a\":");
        assertThat(closedWithin(socket, Duration.ofSeconds(5))).isTrue();
      }
    }
  }

  @Test
  void aHealthyWebSocketOutlivesTheHttpTimeouts() throws InterruptedException {
    try (TestServer server = TestServer.start(Map.of("HTTP_IDLE_TIMEOUT_MS", "1000", "HTTP_HEADER_TIMEOUT_MS", "500",
        "WS_PING_INTERVAL_MS", "400", "WS_IDLE_TIMEOUT_MS", "5000", "MAX_HTTP_CONNECTIONS_PER_IP", "3"));
        WsClient client = server.connect()) {
      client.next("canvas:state");
      // Silent on both sides for three idle timeouts; only the server's pings and their pongs flow.
      Thread.sleep(3000);
      assertThat(client.answerTo(client.paint(1, 1, "#000000")).getString("type")).isEqualTo("pixel:ack");
    }
  }
}
