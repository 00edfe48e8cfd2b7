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
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While a rollback of 100,000 pixels runs on a real server with the embedded store, a lock, a ban,
 * an unban and an audit read are each answered within half a second, and before the rollback is.
 */
class QuickModerationDuringALongRollbackTest {
  private static final String ADMIN = TestServer.ADMIN_TOKEN;
  private static final long QUICK_MILLIS = 500;

  @Test
  void locksBansUnbansAndAuditReadsAreAnsweredWithinHalfASecondWhileA100000PixelRollbackRuns(@TempDir Path dir)
      throws Exception {
    GriefedLog log = GriefedLog.write(dir, 500, 200);
    // 100,000 pixels at 4,000 per 150 ms batch: the rollback takes some 4 s once it starts.
    try (TestServer server = TestServer.start(Map.of("STORAGE", "embedded", "DATA_DIR", dir.toString(),
        "CANVAS_WIDTH", "500", "CANVAS_HEIGHT", "500", "BATCH_INTERVAL_MS", "150"));
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      Api api = new Api(server);
      long prefilled = server.server().seq();
      CompletableFuture<HttpResponse<byte[]>> rollback = CompletableFuture.supplyAsync(() -> api.post("/admin/rollback",
          new JsonObject().put("userId", log.griefer()).put("since", log.since().toString()), ADMIN), clients);
      awaitFirstChunk(server, prefilled, rollback);

      HttpResponse<byte[]> lock = quick(rollback, "POST /locks", () -> api.post("/locks",
          new JsonObject().put("x1", 0).put("y1", 300).put("x2", 9).put("y2", 309).put("reason", "calm down"), ADMIN));
      assertThat(lock.statusCode()).as(new String(lock.body())).isEqualTo(201);
      HttpResponse<byte[]> ban = quick(rollback, "POST /admin/bans", () -> api.post("/admin/bans",
          new JsonObject().put("ip", "203.0.113.7").put("reason", "spam"), ADMIN));
      assertThat(ban.statusCode()).as(new String(ban.body())).isEqualTo(201);
      HttpResponse<byte[]> unban = quick(rollback, "DELETE /admin/bans/:id",
          () -> api.delete("/admin/bans/" + Api.json(ban).getString("id"), ADMIN));
      assertThat(unban.statusCode()).isEqualTo(204);
      HttpResponse<byte[]> audit = quick(rollback, "GET /audit?type=moderation",
          () -> api.get("/audit?type=moderation", ADMIN));
      assertThat(Api.json(audit).getJsonArray("entries")).hasSize(3);

      HttpResponse<byte[]> rolledBack = rollback.get(60, TimeUnit.SECONDS);
      assertThat(rolledBack.statusCode()).as(new String(rolledBack.body())).isEqualTo(200);
      assertThat(Api.json(rolledBack).getInteger("pixelsChanged")).isEqualTo(log.pixels());
    }
  }

  /** Waits (bounded) until the rollback's first chunk is committed, so that it is under way. */
  static void awaitFirstChunk(TestServer server, long prefilled, CompletableFuture<?> rollback) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (server.server().seq() == prefilled) {
      assertThat(rollback).as("the rollback ended before its first chunk was seen").isNotDone();
      assertThat(System.nanoTime()).as("the rollback's first chunk within 30 s").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  /** Sends {@code request} and checks that it is answered within {@link #QUICK_MILLIS}, before the rollback. */
  private static HttpResponse<byte[]> quick(CompletableFuture<HttpResponse<byte[]>> rollback, String what,
      Supplier<HttpResponse<byte[]>> request) {
    long started = System.nanoTime();
    HttpResponse<byte[]> response = request.get();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(rollback).as(what + " was answered only after the rollback (" + millis + " ms)").isNotDone();
    assertThat(millis).as(what + " while the rollback runs").isLessThan(QUICK_MILLIS);
    return response;
  }
}
