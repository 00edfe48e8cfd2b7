package dev.pixels.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code STORAGE=memory} keeps nothing on disk, generated secrets included: sessions are signed
 * with a key that lives as long as the process, and without ADMIN_TOKEN the admin endpoints stay
 * closed rather than write a token file.
 */
class MemoryStorageWritesNothingTest {

  @Test
  void aMemoryServerWithoutConfiguredSecretsWritesNothingToItsDataDirectory(@TempDir Path parent) {
    Path dataDir = parent.resolve("data");
    try (TestServer server = TestServer.start(Map.of("DATA_DIR", dataDir.toString(), "ADMIN_TOKEN", ""))) {
      Api api = new Api(server);
      String token = Api.json(api.post("/session", null, null)).getString("token");
      try (WsClient client = server.connect("?token=" + token)) {
        client.next("canvas:state");
        assertThat(client.answerTo(client.paint(1, 1, "#000000")).getString("type")).isEqualTo("pixel:ack");
      }
      assertThat(api.get("/admin/bans", null).statusCode()).as("admin endpoints closed").isEqualTo(401);
      assertThat(api.get("/admin/bans", TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(403);
      assertThat(dataDir).doesNotExist();
    }
    assertThat(dataDir).doesNotExist();
  }
}
