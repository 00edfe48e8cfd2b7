package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server shut down while a 100,000-pixel rollback runs on the repair thread: the shutdown does
 * not wait for the rest of the rollback, and after a restart the audit trail holds the rollback as
 * incomplete with exactly the pixels that the canvas shows restored.
 */
class AShutdownStopsALongRollbackTest {
  private static final String ADMIN = TestServer.ADMIN_TOKEN;
  private static final int WIDTH = 500;
  private static final int ROWS = 200;

  @Test
  void aShutdownStopsTheRollbackBetweenChunksAndItIsAuditedAsIncomplete(@TempDir Path dir) throws Exception {
    GriefedLog log = GriefedLog.write(dir, WIDTH, ROWS);
    Map<String, String> env = Map.of("STORAGE", "embedded", "DATA_DIR", dir.toString(),
        "CANVAS_WIDTH", String.valueOf(WIDTH), "CANVAS_HEIGHT", String.valueOf(WIDTH), "BATCH_INTERVAL_MS", "150");
    long stopMillis;
    try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      TestServer server = TestServer.start(env);
      Api api = new Api(server);
      long prefilled = server.server().seq();
      CompletableFuture<HttpResponse<byte[]>> rollback = CompletableFuture.supplyAsync(() -> api.post("/admin/rollback",
          new JsonObject().put("userId", log.griefer()).put("since", log.since().toString()), ADMIN), clients);
      QuickModerationDuringALongRollbackTest.awaitFirstChunk(server, prefilled, rollback);
      long started = System.nanoTime();
      server.close();
      stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      // The answer, if it got out before the listener closed, says the rollback is incomplete.
      HttpResponse<byte[]> answer = rollback.handle((r, failure) -> r).get(30, TimeUnit.SECONDS);
      if (answer != null) {
        assertThat(answer.statusCode()).as(new String(answer.body())).isEqualTo(503);
      }
    }
    // 100,000 pixels at 4,000 per 150 ms take some 4 s; the shutdown must not wait for them.
    assertThat(stopMillis).as("shutdown took " + stopMillis + " ms").isLessThan(3_000);

    try (TestServer restarted = TestServer.start(env)) {
      Api api = new Api(restarted);
      JsonObject audit = Api.json(api.get("/audit?type=moderation&limit=1", ADMIN)).getJsonArray("entries")
          .getJsonObject(0);
      assertThat(audit.getString("action")).isEqualTo("rollback");
      JsonObject params = audit.getJsonObject("params");
      assertThat(params.getString("incomplete")).contains("shutting down");
      int applied = params.getInteger("pixelsChanged");
      assertThat(applied).isBetween(1, log.pixels() - 1);
      assertThat(restored(restarted.get("/canvas").body())).isEqualTo(applied);
    }
  }

  private static int restored(byte[] canvas) {
    int blank = 0;
    for (int i = 0; i < WIDTH * ROWS; i++) {
      blank += canvas[i] == 0 ? 1 : 0;
    }
    return blank;
  }
}
