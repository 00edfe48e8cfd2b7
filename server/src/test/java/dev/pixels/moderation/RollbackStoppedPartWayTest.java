package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.PixelStores;
import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A large rollback that the embedded store stops part-way (its pixel log starts refusing writes):
 * the moderator is told how many pixels were applied and
 * which seqs they got, the audit entry records the same, the canvas holds exactly those, and
 * repeating the rollback finishes it.
 */
class RollbackStoppedPartWayTest {
  private static final String ADMIN = TestServer.ADMIN_TOKEN;
  private static final int WIDTH = 900;
  /** The griefer's rectangle: 500 × 200 = 100,000 pixels over a blank canvas. */
  private static final int GRIEF_X2 = 499;
  private static final int GRIEF_Y2 = 199;
  private static final int GRIEFED = 100_000;
  private static final int GRIEFER_COLOR = 5;
  private static final Pattern APPLIED = Pattern.compile("(\\d+) of (\\d+) pixels were applied \\(seqs (\\d+) to (\\d+)\\)");

  @Test
  void aRollbackTheStoreStopsPartWayReportsWhatItAppliedAndRepeatingItFinishesIt(@TempDir Path dir) throws Exception {
    Instant since = prefill(dir);
    try (TestServer server = TestServer.start(Map.of("STORAGE", "embedded", "DATA_DIR", dir.toString()))) {
      Api api = new Api(server);
      JsonObject request = new JsonObject().put("userId", "user-griefer").put("since", since.toString());
      HttpResponse<byte[]> answer;
      try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + PixelStores.sqliteFile(dir));
          Statement s = other.createStatement()) {
        s.execute("PRAGMA busy_timeout=10000");
        // The pixel log takes the rollback's first 10,000 pixels, then refuses every write, as a
        // full disk would; the audit table does not.
        s.execute("CREATE TRIGGER refuse_pixels BEFORE INSERT ON pixel_log WHEN NEW.seq > " + (GRIEFED + 10_000)
            + " BEGIN SELECT RAISE(ABORT, 'no space left'); END");
        answer = api.post("/admin/rollback", request, ADMIN);
        s.execute("DROP TRIGGER refuse_pixels");
      }

      String body = new String(answer.body(), StandardCharsets.UTF_8);
      assertThat(answer.statusCode()).as(body).isEqualTo(503);
      Matcher m = APPLIED.matcher(body);
      assertThat(m.find()).as(body).isTrue();
      int applied = Integer.parseInt(m.group(1));
      assertThat(Integer.parseInt(m.group(2))).isEqualTo(GRIEFED);
      assertThat(applied).as(body).isBetween(1, 10_000);
      assertThat(Long.parseLong(m.group(4)) - Long.parseLong(m.group(3)) + 1).isEqualTo(applied);
      assertThat(restored(server.get("/canvas").body())).as("griefed pixels restored").isEqualTo(applied);
      JsonObject audit = Api.json(api.get("/audit?type=moderation&limit=1", ADMIN)).getJsonArray("entries")
          .getJsonObject(0);
      assertThat(audit.getString("action")).isEqualTo("rollback");
      assertThat(audit.getJsonObject("params").getInteger("pixelsChanged")).isEqualTo(applied);
      assertThat(audit.getJsonObject("params").getString("incomplete")).contains(applied + " of " + GRIEFED);

      HttpResponse<byte[]> repeated = api.post("/admin/rollback", request, ADMIN);
      assertThat(repeated.statusCode()).as(new String(repeated.body(), StandardCharsets.UTF_8)).isEqualTo(200);
      assertThat(Api.json(repeated).getInteger("pixelsChanged")).isEqualTo(GRIEFED - applied);
      assertThat(restored(server.get("/canvas").body())).isEqualTo(GRIEFED);
    }
  }

  /** Writes a griefer's 100,000 pixels for the server to recover at start; returns a time before them. */
  private static Instant prefill(Path dir) {
    long at = System.currentTimeMillis() - 2_000;
    List<PixelChange> changes = new ArrayList<>(GRIEFED);
    for (int y = 0; y <= GRIEF_Y2; y++) {
      for (int x = 0; x <= GRIEF_X2; x++) {
        changes.add(new PixelChange(changes.size() + 1, x, y, GRIEFER_COLOR, 0, "user-griefer", at, Tool.BRUSH));
      }
    }
    try (PixelStore store = PixelStores.sqlite(dir)) {
      store.append(changes);
    }
    return Instant.ofEpochMilli(at - 1_000);
  }

  private static int restored(byte[] canvas) {
    int blank = 0;
    for (int y = 0; y <= GRIEF_Y2; y++) {
      for (int x = 0; x <= GRIEF_X2; x++) {
        blank += canvas[y * WIDTH + x] == 0 ? 1 : 0;
      }
    }
    return blank;
  }
}
