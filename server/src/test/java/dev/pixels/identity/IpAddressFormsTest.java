package dev.pixels.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An IP address means the same wherever it is written: an IP ban, a trusted proxy and a client
 * address match whether they are written {@code 2001:db8::1} or {@code 2001:DB8:0:0:0:0:0:1},
 * {@code 127.0.0.1} or {@code ::ffff:127.0.0.1}.
 */
class IpAddressFormsTest {

  private static String canvasStatus(TestServer server, String forwardedFor) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("GET /canvas HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
          + "X-Forwarded-For: " + forwardedFor + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      return answer.lines().findFirst().orElse("").split(" ")[1];
    }
  }

  @Test
  void anIpBanWrittenInShortIpv6FormBansTheClientWhateverFormItsAddressArrivesIn() {
    try (TestServer server = TestServer.start(Map.of("TRUSTED_PROXIES", "127.0.0.1"))) {
      Api api = new Api(server);
      assertThat(api.post("/admin/bans", new JsonObject().put("ip", "2001:db8::1"), TestServer.ADMIN_TOKEN)
          .statusCode()).isEqualTo(201);
      WebSocketConnectOptions options = new WebSocketConnectOptions()
          .addHeader("X-Forwarded-For", "2001:DB8:0:0:0:0:0:1");
      try (WsClient client = WsClient.connect(server.port(), "/ws", options)) {
        client.next("canvas:state");
        JsonObject answer = client.answerTo(client.paint(1, 1, "#FF0000"));
        assertThat(answer.getString("type")).isEqualTo("pixel:reject");
        assertThat(answer.getJsonObject("data").getString("reason")).isEqualTo("banned");
      }
    }
  }

  @Test
  void anIpBanOnSomethingThatIsNotAnAddressIsRefusedWith400() {
    try (TestServer server = TestServer.start()) {
      assertThat(new Api(server).post("/admin/bans", new JsonObject().put("ip", "not-an-ip\n"), TestServer.ADMIN_TOKEN)
          .statusCode()).isEqualTo(400);
    }
  }

  @Test
  void aTrustedProxyWrittenAsAnIpv4MappedAddressIsTrusted() throws IOException {
    try (TestServer server = TestServer.start(Map.of("TRUSTED_PROXIES", "::ffff:127.0.0.1",
        "REST_LIMIT_CANVAS_PER_MINUTE", "2"))) {
      List<String> statuses = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        statuses.add(canvasStatus(server, "198.51.100." + i));
      }
      assertThat(statuses).as("four clients behind the proxy, each under a limit of two a minute")
          .containsExactly("200", "200", "200", "200");
    }
  }
}
