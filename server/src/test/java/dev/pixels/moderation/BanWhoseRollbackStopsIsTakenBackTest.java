package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.storage.PixelStores;
import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ban with a rollback whose rollback the embedded store stops part-way: the ban, which took
 * effect while the rollback ran on its own thread, is taken back, the answer says what was applied,
 * and the audit trail has the incomplete rollback but no ban.
 */
class BanWhoseRollbackStopsIsTakenBackTest {
  private static final String ADMIN = TestServer.ADMIN_TOKEN;

  @Test
  void aBanWhoseRollbackTheStoreStopsIsAnswered503AndTakenBack(@TempDir Path dir) throws Exception {
    GriefedLog log = GriefedLog.write(dir, 500, 100);
    try (TestServer server = TestServer.start(Map.of("STORAGE", "embedded", "DATA_DIR", dir.toString(),
        "CANVAS_WIDTH", "500", "CANVAS_HEIGHT", "500"))) {
      Api api = new Api(server);
      HttpResponse<byte[]> answer;
      try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + PixelStores.sqliteFile(dir));
          Statement s = other.createStatement()) {
        s.execute("PRAGMA busy_timeout=10000");
        // The pixel log takes the rollback's first 8,000 pixels, then refuses every write.
        s.execute("CREATE TRIGGER refuse_pixels BEFORE INSERT ON pixel_log WHEN NEW.seq > " + (log.pixels() + 8_000)
            + " BEGIN SELECT RAISE(ABORT, 'no space left'); END");
        answer = api.post("/admin/bans", new JsonObject().put("userId", log.griefer()).put("reason", "griefing")
            .put("rollbackSince", log.since().toString()), ADMIN);
        s.execute("DROP TRIGGER refuse_pixels");
      }

      String body = new String(answer.body(), StandardCharsets.UTF_8);
      assertThat(answer.statusCode()).as(body).isEqualTo(503);
      assertThat(body).contains("of " + log.pixels() + " pixels were applied");
      assertThat(Api.json(api.get("/admin/bans", ADMIN)).getJsonArray("bans")).as("bans after the failure").isEmpty();
      JsonArray audit = Api.json(api.get("/audit?type=moderation", ADMIN)).getJsonArray("entries");
      assertThat(audit).hasSize(1);
      assertThat(audit.getJsonObject(0).getString("action")).isEqualTo("rollback");
      assertThat(audit.getJsonObject(0).getJsonObject("params").getString("incomplete")).isNotBlank();
    }
  }
}
