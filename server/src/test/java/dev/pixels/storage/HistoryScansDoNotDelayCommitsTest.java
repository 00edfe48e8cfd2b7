package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.testing.Api;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long audit queries against a large SQLite log, through a real server on port 0, while a painter
 * paints over a real WebSocket at a steady rate: the painter's acknowledgements must not wait for
 * the queries. The audit query asks for the newest changes of the last two hours anywhere on the
 * canvas: SQLite answers it from an index range covering the whole log and sorts every match by
 * seq, a few hundred milliseconds to about a second per query at this size.
 */
class HistoryScansDoNotDelayCommitsTest {
  private static final int LOGGED_PIXELS = 400_000;
  private static final int PAINTED_PIXELS = 300;
  /** The painter goes on past {@link #PAINTED_PIXELS} until this many queries ran beside it. */
  private static final int AUDIT_QUERIES = 10;
  private static final int MAX_PAINTED_PIXELS = 2_000;
  private static final long PAINT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
  private static final long ACK_P99_BOUND_MS = 250;

  /** Writes {@code n} pixels, spread over the default 900×900 canvas by 500 users, an hour ago. */
  private static void prefill(Path dataDir, int n) {
    Random random = new Random(11);
    long start = System.currentTimeMillis() - 3_600_000;
    try (PixelStore store = PixelStores.sqlite(dataDir)) {
      List<PixelChange> batch = new ArrayList<>();
      for (long seq = 1; seq <= n; seq++) {
        batch.add(new PixelChange(seq, random.nextInt(Painting.DEFAULT_WIDTH), random.nextInt(Painting.DEFAULT_WIDTH),
            random.nextInt(32), 0, "user-" + seq % 500, start + seq / 200, Tool.BRUSH));
        if (batch.size() == 10_000) {
          store.append(batch);
          batch = new ArrayList<>();
        }
      }
      if (!batch.isEmpty()) {
        store.append(batch);
      }
    }
  }

  @Test
  void aPaintersAcksStayPromptWhileLongAuditQueriesRunBackToBack(@TempDir Path dataDir) throws Exception {
    prefill(dataDir, LOGGED_PIXELS);
    Instant now = Instant.now();
    String windowAudit = "/audit?x1=0&y1=0&x2=899&y2=899&limit=1000&since=" + now.minus(Duration.ofHours(2))
        + "&until=" + now.plus(Duration.ofHours(1));
    try (TestServer server = TestServer.start(Map.of("STORAGE", "embedded", "DATA_DIR", dataDir.toString()));
        WsClient painter = server.connect()) {
      painter.next("canvas:state");
      Api api = new Api(server);
      HttpResponse<byte[]> probe = api.get(windowAudit, TestServer.ADMIN_TOKEN);
      assertThat(probe.statusCode()).isEqualTo(200);
      assertThat(Api.json(probe).getJsonArray("entries").size()).as("the window holds logged pixels").isPositive();

      AtomicBoolean painting = new AtomicBoolean(true);
      List<Long> auditMillis = Collections.synchronizedList(new ArrayList<>());
      CompletableFuture<Void> auditor = CompletableFuture.runAsync(() -> {
        while (painting.get()) {
          long t0 = System.nanoTime();
          HttpResponse<byte[]> r = api.get(windowAudit, TestServer.ADMIN_TOKEN);
          if (r.statusCode() != 200) {
            throw new AssertionError("GET /audit answered " + r.statusCode());
          }
          auditMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
      });

      List<Long> ackMillis = new ArrayList<>();
      try {
        long next = System.nanoTime();
        // Queries take from a few hundred ms to over a second depending on the disk, so the painter
        // paints for as long as it takes the auditor to run its queries beside it.
        for (int k = 0; k < PAINTED_PIXELS || (auditMillis.size() < AUDIT_QUERIES && k < MAX_PAINTED_PIXELS); k++) {
          LockSupport.parkNanos(next - System.nanoTime());
          next += PAINT_INTERVAL_NANOS;
          long t0 = System.nanoTime();
          JsonObject answer = painter.answerTo(painter.paint(k % 64, 100 + k / 64, Painting.PALETTE.color(1 + k % 31)));
          ackMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
          assertThat(answer.getString("type")).isEqualTo("pixel:ack");
        }
      } finally {
        painting.set(false);
      }
      auditor.get(30, TimeUnit.SECONDS);

      Collections.sort(ackMillis);
      List<Long> audits = new ArrayList<>(auditMillis);
      Collections.sort(audits);
      long p50 = ackMillis.get(ackMillis.size() / 2);
      long p99 = ackMillis.get((int) Math.ceil(ackMillis.size() * 0.99) - 1);
      System.out.printf("ack p50 %d ms, p99 %d ms, max %d ms over %d pixels; %d audit queries, median %d ms, max %d ms%n",
          p50, p99, ackMillis.get(ackMillis.size() - 1), ackMillis.size(), audits.size(),
          audits.get(audits.size() / 2), audits.get(audits.size() - 1));
      assertThat(audits.size()).as("audit queries ran beside the painter").isGreaterThanOrEqualTo(AUDIT_QUERIES);
      assertThat(p99).as("painter's ack p99 in ms while audit queries run").isLessThan(ACK_P99_BOUND_MS);
    }
  }
}
