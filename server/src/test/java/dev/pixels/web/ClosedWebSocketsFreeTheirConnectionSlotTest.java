package dev.pixels.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.RawWebSocket;
import dev.pixels.testing.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket that ends, cleanly or not, gives its peer address back the TCP connection slot it
 * held under {@code MAX_HTTP_CONNECTIONS_PER_IP}: reconnecting clients must not lock their own
 * address out of the server.
 */
class ClosedWebSocketsFreeTheirConnectionSlotTest {
  private static final int CAP = 3;

  private static String healthStatus(TestServer server) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(
          "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return answer.lines().findFirst().orElse("");
    } catch (IOException reset) {
      return "reset";
    }
  }

  /** The /health status line, once the server has caught up with the closes (bounded polling). */
  private static String healthStatusEventually(TestServer server) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    String status = healthStatus(server);
    while (!status.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline) {
      status = healthStatus(server);
    }
    return status;
  }

  @Test
  void webSocketsClosedByTheirClientsDoNotUseUpThePerAddressConnectionCap() throws IOException {
    try (TestServer server = TestServer.start(Map.of("MAX_HTTP_CONNECTIONS_PER_IP", String.valueOf(CAP),
        "MAX_CONNECTIONS_PER_IP", String.valueOf(CAP)))) {
      for (int i = 0; i < 3 * CAP; i++) {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws", 65536)) {
          assertThat(ws.read().text()).as("connection %d", i + 1).contains("canvas:state");
          ws.sendClose(1000, "bye");
          ws.readUntilClose();
        }
        assertThat(healthStatusEventually(server)).as("after WebSocket %d closed", i + 1).startsWith("HTTP/1.1 200");
      }
    }
  }

  @Test
  void webSocketsWhoseTcpConnectionIsDroppedDoNotUseUpThePerAddressConnectionCap() throws IOException {
    try (TestServer server = TestServer.start(Map.of("MAX_HTTP_CONNECTIONS_PER_IP", String.valueOf(CAP),
        "MAX_CONNECTIONS_PER_IP", String.valueOf(CAP)))) {
      for (int i = 0; i < 3 * CAP; i++) {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws", 65536)) {
          assertThat(ws.read().text()).as("connection %d", i + 1).contains("canvas:state");
        }
        assertThat(healthStatusEventually(server)).as("after WebSocket %d dropped", i + 1).startsWith("HTTP/1.1 200");
      }
    }
  }
}
