package dev.pixels.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.TestServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A proxy may add its {@code X-Forwarded-For} as a header line of its own after one the client
 * sent; the lines form one list, so the client's own line cannot choose its address (and with it
 * escape per-address limits and bans).
 */
class ForwardedForHeaderLinesTest {

  private static String statusOf(TestServer server, String... forwardedForLines) throws IOException {
    StringBuilder head = new StringBuilder("GET /canvas HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    for (String line : forwardedForLines) {
      head.append("X-Forwarded-For: ").append(line).append("\r\n");
    }
    head.append("\r\n");
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      return answer.lines().findFirst().orElse("");
    }
  }

  @Test
  void aClientCannotChooseItsAddressWithAForwardedForLineOfItsOwn() throws IOException {
    try (TestServer server = TestServer.start(Map.of("TRUSTED_PROXIES", "127.0.0.1",
        "REST_LIMIT_CANVAS_PER_MINUTE", "2"))) {
      List<String> statuses = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        // The client's own line first, then the line the proxy added with the address it saw.
        statuses.add(statusOf(server, "10.0.0." + i, "203.0.113.7"));
      }
      assertThat(statuses).as("four requests of 203.0.113.7 under a limit of two a minute")
          .extracting(s -> s.split(" ")[1]).containsExactly("200", "200", "429", "429");
    }
  }
}
