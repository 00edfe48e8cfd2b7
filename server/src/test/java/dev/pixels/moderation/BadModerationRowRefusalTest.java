package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.storage.StoreException;
import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A row of the embedded store's moderation tables that is not a lock or a ban (edited by hand, or
 * written by something else) is refused at start with one message naming the file, the table, the
 * row and what is wrong with it, rather than a stack trace; the file is left as it was.
 */
class BadModerationRowRefusalTest {

  private static Map<String, String> env(Path dir) {
    return Map.of("STORAGE", "embedded", "DATA_DIR", dir.toString());
  }

  /** A data directory whose moderation tables hold one good lock and one good ban, then {@code sql}. */
  private static Path withRows(Path dir, String sql) throws Exception {
    try (TestServer server = TestServer.start(env(dir))) {
      Api api = new Api(server);
      assertThat(api.post("/locks", new JsonObject().put("x1", 1).put("y1", 1).put("x2", 2).put("y2", 2),
          TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(201);
      assertThat(api.post("/admin/bans", new JsonObject().put("userId", "user-griefer"), TestServer.ADMIN_TOKEN)
          .statusCode()).isEqualTo(201);
    }
    Path db = dir.resolve("pixels.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
      s.execute(sql);
    }
    return db;
  }

  private static void refusedNaming(Path dir, Path db, String... parts) throws Exception {
    byte[] before = Files.readAllBytes(db);
    assertThatThrownBy(() -> TestServer.start(env(dir)).close())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(db.toAbsolutePath().toString())
        .hasMessageContaining("delete or correct that row")
        .satisfies(e -> {
          for (String part : parts) {
            assertThat(e.getMessage()).contains(part);
          }
          assertThat(e.getMessage()).doesNotContain("\n");
        });
    assertThat(Files.readAllBytes(db)).as("the refused database is left as it was").isEqualTo(before);
  }

  @Test
  void aBanOfAnUnknownKindIsRefusedNamingTheTableTheRowAndTheEscapedValue(@TempDir Path dir) throws Exception {
    Path db = withRows(dir, "INSERT INTO bans VALUES ('ban-x', 'GROUP\nforged log line', 'someone', NULL, "
        + "'admin', 1700000000000, NULL)");
    refusedNaming(dir, db, "table bans", "rowid 2", "kind", "GROUP\\nforged log line");
  }

  @Test
  void aBanWithoutAnIdIsRefused(@TempDir Path dir) throws Exception {
    Path db = withRows(dir, "INSERT INTO bans VALUES (NULL, 'USER', 'someone', NULL, 'admin', 1700000000000, NULL)");
    refusedNaming(dir, db, "table bans", "rowid 2", "id");
  }

  @Test
  void aLockWhoseCornersAreSwappedIsRefused(@TempDir Path dir) throws Exception {
    Path db = withRows(dir, "INSERT INTO region_locks VALUES (9, 9, 3, 3, NULL, 'admin', 1700000000000, NULL)");
    refusedNaming(dir, db, "table region_locks", "rowid 2", "x1 <= x2");
  }

  @Test
  void aLockWhoseTimeIsNotANumberIsRefused(@TempDir Path dir) throws Exception {
    Path db = withRows(dir, "INSERT INTO region_locks VALUES (5, 5, 6, 6, NULL, 'admin', 'yesterday', NULL)");
    refusedNaming(dir, db, "table region_locks", "rowid 2", "created_at", "yesterday");
  }

  @Test
  void aLockCornerBeyondAnIntegerIsRefused(@TempDir Path dir) throws Exception {
    Path db = withRows(dir, "INSERT INTO region_locks VALUES (5, 5, 6, 99999999999, NULL, 'admin', 1700000000000, NULL)");
    refusedNaming(dir, db, "table region_locks", "rowid 2", "y2", "99999999999");
  }
}
