package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModerationPersistenceTest {
  private static final String ADMIN = TestServer.ADMIN_TOKEN;

  @Test
  void locksBansTheModerationAuditAndSessionsSurviveARestartOfTheEmbeddedStore(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("STORAGE", "embedded", "DATA_DIR", dir.toString());
    String token;
    try (TestServer first = TestServer.start(env)) {
      Api api = new Api(first);
      token = Api.json(api.post("/session", null, null)).getString("token");
      assertThat(api.post("/locks", new JsonObject().put("x1", 1).put("y1", 1).put("x2", 2).put("y2", 2), ADMIN)
          .statusCode()).isEqualTo(201);
      assertThat(api.post("/admin/bans", new JsonObject().put("userId", "user-griefer"), ADMIN).statusCode())
          .isEqualTo(201);
    }
    assertThat(Files.exists(dir.resolve("session-secret"))).isTrue();
    try (TestServer second = TestServer.start(env); WsClient client = second.connect("?token=" + token)) {
      Api api = new Api(second);
      assertThat(Api.json(api.get("/locks", null)).getJsonArray("locks").size()).isEqualTo(1);
      assertThat(Api.json(api.get("/admin/bans", ADMIN)).getJsonArray("bans").getJsonObject(0).getString("userId"))
          .isEqualTo("user-griefer");
      assertThat(Api.json(api.get("/audit?type=moderation", ADMIN)).getJsonArray("entries").size()).isEqualTo(2);
      client.next("canvas:state");
      assertThat(client.answerTo(client.paint(1, 1, "#000000")).getJsonObject("data").getString("reason"))
          .isEqualTo("locked_region");
    }
  }

  @Test
  void withoutAdminTokenOneIsGeneratedIntoTheDataDirOwnerOnlyAndWorks(@TempDir Path dir) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(Map.of("STORAGE", "embedded", "DATA_DIR", dir.toString()));
    env.put("ADMIN_TOKEN", "");
    try (TestServer server = TestServer.start(env)) {
      Path file = dir.resolve("admin-token");
      String generated = Files.readString(file).trim();
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      assertThat(new Api(server).get("/admin/bans", generated).statusCode()).isEqualTo(200);
      assertThat(new Api(server).get("/admin/bans", ADMIN).statusCode()).isEqualTo(403);
    }
  }
}
