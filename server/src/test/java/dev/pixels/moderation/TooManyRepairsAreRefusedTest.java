package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repairs wait one behind the other in a bounded queue: while a long rollback runs, requests for
 * more repairs than the queue holds are refused at once with 429 and a Retry-After, and those it
 * holds are carried out after the long one.
 */
class TooManyRepairsAreRefusedTest {
  private static final String ADMIN = TestServer.ADMIN_TOKEN;
  private static final int EXTRA = 6;

  /** A response and whether the long rollback had been answered when it came. */
  private record Answer(HttpResponse<byte[]> response, boolean afterTheLongRollback) {}

  @Test
  void repairsBeyondTheQueueAreRefusedWith429WhileALongRollbackRuns(@TempDir Path dir) throws Exception {
    GriefedLog log = GriefedLog.write(dir, 500, 200);
    try (TestServer server = TestServer.start(Map.of("STORAGE", "embedded", "DATA_DIR", dir.toString(),
        "CANVAS_WIDTH", "500", "CANVAS_HEIGHT", "500", "BATCH_INTERVAL_MS", "150"));
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      Api api = new Api(server);
      long prefilled = server.server().seq();
      JsonObject griefersWork = new JsonObject().put("userId", log.griefer()).put("since", log.since().toString());
      CompletableFuture<HttpResponse<byte[]>> rollback =
          CompletableFuture.supplyAsync(() -> api.post("/admin/rollback", griefersWork, ADMIN), clients);
      QuickModerationDuringALongRollbackTest.awaitFirstChunk(server, prefilled, rollback);

      List<CompletableFuture<Answer>> more = new ArrayList<>();
      for (int i = 0; i < EXTRA; i++) {
        JsonObject rewind = new JsonObject().put("x1", 0).put("y1", 400).put("x2", 9).put("y2", 409)
            .put("to", log.since().toString());
        more.add(CompletableFuture.supplyAsync(() -> api.post("/admin/rewind", rewind, ADMIN), clients)
            .thenApply(r -> new Answer(r, rollback.isDone())));
      }
      List<HttpResponse<byte[]>> refused = new ArrayList<>();
      for (CompletableFuture<Answer> f : more) {
        Answer answer = f.get(60, TimeUnit.SECONDS);
        HttpResponse<byte[]> r = answer.response();
        if (r.statusCode() == 429) {
          assertThat(answer.afterTheLongRollback()).as("a refusal comes at once, while the long rollback runs")
              .isFalse();
          refused.add(r);
        } else {
          assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
        }
      }
      assertThat(refused).as("refused beyond the " + Moderation.MAX_REPAIRS + " running or waiting")
          .hasSize(EXTRA - (Moderation.MAX_REPAIRS - 1));
      assertThat(refused.get(0).headers().firstValue("Retry-After")).isPresent();
      assertThat(Api.json(refused.get(0)).getString("error")).isEqualTo("too_many_repairs");
      assertThat(rollback.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

      HttpResponse<byte[]> after = api.post("/admin/rewind", new JsonObject().put("x1", 0).put("y1", 400)
          .put("x2", 9).put("y2", 409).put("to", log.since().toString()), ADMIN);
      assertThat(after.statusCode()).as("a place is free again once the queue has drained").isEqualTo(200);
    }
  }
}
