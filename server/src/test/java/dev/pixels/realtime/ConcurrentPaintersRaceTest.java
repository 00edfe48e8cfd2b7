package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.Palette;
import dev.pixels.storage.CanvasRecovery;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.PixelStores;
import dev.pixels.testing.CanvasReplica;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many painters on many connections at once: every pixel gets one answer and a unique seq, every
 * watcher sees the same gap-free history, and the canvas equals a replay of the durable log.
 */
class ConcurrentPaintersRaceTest {
  private static final int PAINTERS = 8;
  private static final int PIXELS_EACH = 250;
  private static final int SIZE = 64;

  @Test
  void concurrentPaintersProduceOneGapFreeHistoryThatEqualsTheReplayedLog() throws Exception {
    Palette palette = Palette.defaultPalette();
    List<Long> seqs = new ArrayList<>();
    String dataDir;
    byte[] servedCanvas;
    CanvasReplica replica;
    try (TestServer server = TestServer.start(Map.of("STORAGE", "embedded",
        "CANVAS_WIDTH", Integer.toString(SIZE), "CANVAS_HEIGHT", Integer.toString(SIZE), "BATCH_INTERVAL_MS", "10"))) {
      dataDir = server.dataDir().toString();
      replica = new CanvasReplica(SIZE, SIZE, new byte[SIZE * SIZE], 0, palette);
      try (WsClient watcher = server.connect()) {
        watcher.next("canvas:state");
        ExecutorService pool = Executors.newFixedThreadPool(PAINTERS);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int p = 0; p < PAINTERS; p++) {
          int painter = p;
          results.add(pool.submit(() -> {
            try (WsClient client = server.connect()) {
              List<String> ids = new ArrayList<>();
              for (int i = 0; i < PIXELS_EACH; i++) {
                // Painters overlap on purpose: the same pixels are fought over.
                ids.add(client.paint((i * 7 + painter) % SIZE, (i * 3) % SIZE, palette.color(1 + (painter + i) % 31)));
              }
              List<Long> acked = new ArrayList<>();
              for (String id : ids) {
                JsonObject answer = client.answerTo(id);
                assertThat(answer.getString("type")).isEqualTo("pixel:ack");
                acked.add(answer.getJsonObject("data").getLong("seq"));
              }
              return acked;
            }
          }));
        }
        for (Future<List<Long>> f : results) {
          seqs.addAll(f.get());
        }
        pool.shutdown();
        long total = (long) PAINTERS * PIXELS_EACH;
        while (replica.seq() < total) {
          replica.apply(watcher.next(m -> "pixel:bulk_update".equals(m.getString("type")), Duration.ofSeconds(10), "bulk"));
        }
      }
      servedCanvas = server.get("/canvas").body();
      assertThat(server.get("/canvas").headers().firstValue("X-Canvas-Seq")).hasValue(Long.toString(replica.seq()));
    }
    Set<Long> unique = new HashSet<>(seqs);
    assertThat(unique).hasSize(PAINTERS * PIXELS_EACH);
    assertThat(unique).allMatch(s -> s >= 1 && s <= PAINTERS * PIXELS_EACH);
    assertThat(servedCanvas).isEqualTo(replica.bitmap());

    try (PixelStore store = PixelStores.sqlite(java.nio.file.Path.of(dataDir))) {
      Canvas fromLog = new Canvas(SIZE, SIZE);
      store.replay(0, fromLog::apply);
      assertThat(fromLog.seq()).isEqualTo(replica.seq());
      assertThat(fromLog.copyPixels()).isEqualTo(replica.bitmap());
      assertThat(CanvasRecovery.recover(store, SIZE, SIZE).sha256Hex()).isEqualTo(replica.hash());
    }
  }
}
