package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Palette;
import dev.pixels.storage.PixelStores;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /canvas} against a real server on port 0 with the embedded store, while a painter's
 * pixel is being committed and the commit is slow: a second SQLite connection holds the database's
 * write lock, so the batcher's append waits on it (SQLite's busy timeout) for {@link #HOLD_MS}, as
 * it would for a slow fsync. Snapshot reads must neither wait for that commit nor show its pixel.
 */
class SnapshotsDoNotWaitForTheStoreTest {
  private static final long HOLD_MS = 2_000;
  private static final long PROMPT_MS = 500;
  private static final int SIDE = 64;
  private static final Palette PALETTE = Palette.defaultPalette();

  @Test
  void getCanvasAnswersPromptlyAndWithoutThePixelWhileItsCommitWaitsForTheDisk(@TempDir Path dataDir)
      throws Exception {
    ScheduledExecutorService releaser = Executors.newSingleThreadScheduledExecutor();
    try (TestServer server = TestServer.start(Map.of("STORAGE", "embedded", "DATA_DIR", dataDir.toString(),
            "CANVAS_WIDTH", Integer.toString(SIDE), "CANVAS_HEIGHT", Integer.toString(SIDE),
            "CANVAS_SNAPSHOT_MAX_AGE_MS", "0"));
        WsClient painter = server.connect();
        Connection blocker = DriverManager.getConnection("jdbc:sqlite:" + PixelStores.sqliteFile(dataDir))) {
      painter.next("canvas:state");
      JsonObject first = painter.answerTo(painter.paint(1, 1, PALETTE.color(2)));
      assertThat(first.getString("type")).isEqualTo("pixel:ack");
      long committed = first.getJsonObject("data").getLong("seq");

      Statement lock = blocker.createStatement();
      lock.execute("BEGIN IMMEDIATE");
      ScheduledFuture<?> release = releaser.schedule(() -> {
        lock.execute("ROLLBACK");
        return null;
      }, HOLD_MS, TimeUnit.MILLISECONDS);
      long heldSince = System.nanoTime();
      String id = painter.paint(5, 5, PALETTE.color(3));
      awaitBatcherInsideAppend();

      // The first GET /canvas finds no rendering at the committed seq and takes a snapshot; the
      // admin's canvas at an instant takes one on every request.
      String now = "/canvas?at=" + Instant.now();
      int reads = 0;
      long slowestMs = 0;
      while (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - heldSince) < HOLD_MS / 2) {
        for (String path : new String[] {"/canvas", now}) {
          long t0 = System.nanoTime();
          HttpResponse<byte[]> canvas = server.get(path, "Authorization", "Bearer " + TestServer.ADMIN_TOKEN);
          long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
          slowestMs = Math.max(slowestMs, tookMs);
          assertThat(tookMs).as("GET %s while a commit waits for the disk, in ms", path).isLessThan(PROMPT_MS);
          assertThat(release.isDone()).as("the commit was still waiting for the disk during the read").isFalse();
          assertThat(canvas.statusCode()).isEqualTo(200);
          assertThat(seqOf(canvas)).as("the seq %s shows while the commit is under way", path).isEqualTo(committed);
          assertThat(canvas.body()[SIDE + 1]).as("the committed pixel").isEqualTo((byte) 2);
          assertThat(canvas.body()[5 * SIDE + 5]).as("the uncommitted pixel").isZero();
        }
        reads++;
      }
      System.out.printf("%d rounds of reads while a commit waited %d ms for the disk; slowest read %d ms%n",
          reads, HOLD_MS, slowestMs);
      assertThat(reads).as("rounds of reads made while the commit waited").isPositive();

      release.get(10, TimeUnit.SECONDS);
      JsonObject answer = painter.answerTo(id);
      assertThat(answer.getString("type")).isEqualTo("pixel:ack");
      assertThat(answer.getJsonObject("data").getLong("seq")).isEqualTo(committed + 1);
      HttpResponse<byte[]> after = server.get("/canvas");
      assertThat(seqOf(after)).isEqualTo(committed + 1);
      assertThat(after.body()[5 * SIDE + 5]).isEqualTo((byte) 3);
    } finally {
      releaser.shutdownNow();
    }
  }

  private static long seqOf(HttpResponse<byte[]> canvas) {
    return Long.parseLong(canvas.headers().firstValue("X-Canvas-Seq").orElseThrow());
  }

  /** Waits until the batcher thread is in the store's append, which the held lock keeps waiting. */
  private static void awaitBatcherInsideAppend() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
        if (t.getKey().getName().equals("pixels-batcher") && Arrays.stream(t.getValue()).anyMatch(
            f -> f.getClassName().endsWith(".SqlitePixelStore") && f.getMethodName().equals("append"))) {
          return;
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    throw new AssertionError("the batcher never started committing the pixel");
  }
}
