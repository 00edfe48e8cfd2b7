package dev.pixels.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.Palette;
import dev.pixels.storage.CanvasRecovery;
import dev.pixels.storage.DynamoDbSettings;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.PixelStores;
import dev.pixels.testing.ClusterFixture;
import dev.pixels.testing.TcpProxy;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster instance told to stop while its pixel store or Redis hangs (a proxy in front of it that
 * stops forwarding, so every call waits for its own timeout) with pixels in flight: the stop must
 * end within {@code SHUTDOWN_TIMEOUT_MS}, as on one instance, and every pixel it acknowledged must
 * be in the store.
 */
class ClusterShutdownWithinDeadlineTest {
  private static final int SIZE = 32;
  private static final Palette PALETTE = Palette.defaultPalette();
  private static final long SHUTDOWN_MS = 3_000;
  /** Scheduling slack on a shared machine; the old stop took the durability timeout and more. */
  private static final long SLACK_MS = 500;
  private static final int STORED = 20;
  private static final int IN_FLIGHT = 20;

  private ClusterFixture backends;
  private TcpProxy storeProxy;
  private TcpProxy redisProxy;
  private TestServer server;
  private WsClient painter;

  @BeforeEach
  void startBackends() {
    backends = ClusterFixture.start();
    EmptySharedCanvas.install(backends.redis(), SIZE, SIZE);
    storeProxy = new TcpProxy(backends.dynalite().port());
    redisProxy = new TcpProxy(backends.redis().port());
  }

  @AfterEach
  void stopEverything() {
    if (painter != null) {
      painter.close();
    }
    if (server != null) {
      server.close();
    }
    storeProxy.close();
    redisProxy.close();
    backends.close();
  }

  @Test
  void aClusterInstanceWhoseStoreHangsStopsWithinTheShutdownTimeoutAndKeepsEveryAckedPixel() {
    stopsWithinTheDeadlineWhileHung(storeProxy);
  }

  @Test
  void aClusterInstanceWhoseRedisHangsStopsWithinTheShutdownTimeoutAndKeepsEveryAckedPixel() {
    stopsWithinTheDeadlineWhileHung(redisProxy);
  }

  private void stopsWithinTheDeadlineWhileHung(TcpProxy hung) {
    String prefix = backends.dynalite().tablePrefix();
    Map<String, String> env = ClusterFixture.env(backends.dynalite(), prefix, redisProxy.port(), SIZE);
    env.put("DYNAMODB_ENDPOINT", "http://127.0.0.1:" + storeProxy.port());
    env.put("BATCH_INTERVAL_MS", "20");
    env.put("DURABILITY_TIMEOUT_MS", "5000");
    env.put("SHUTDOWN_TIMEOUT_MS", Long.toString(SHUTDOWN_MS));
    server = TestServer.start(env);
    painter = server.connect("");

    Map<Integer, Integer> acked = new HashMap<>();
    for (int i = 0; i < STORED; i++) {
      JsonObject answer = painter.answerTo(painter.paint(i, 0, color(i)));
      assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("pixel:ack");
      acked.put(i, index(i));
    }

    hung.stall();
    for (int i = 0; i < IN_FLIGHT; i++) {
      painter.paint(i, 1, color(i + 7));
    }
    // Frames are handled in order: once this off-canvas pixel is refused, the ones before it were taken.
    JsonObject barrier = painter.answerTo(painter.paint(SIZE, 0, color(0)));
    assertThat(barrier.getString("type")).as("answer %s", barrier).isEqualTo("pixel:reject");

    long started = System.nanoTime();
    server.close();
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    server = null;
    assertThat(tookMs).as("stop took %d ms with SHUTDOWN_TIMEOUT_MS=%d", tookMs, SHUTDOWN_MS)
        .isLessThanOrEqualTo(SHUTDOWN_MS + SLACK_MS);

    for (JsonObject frame : painter.unread(Duration.ofMillis(200))) {
      if ("pixel:ack".equals(frame.getString("type"))) {
        JsonObject data = frame.getJsonObject("data");
        acked.put(data.getInteger("y") * SIZE + data.getInteger("x"), PALETTE.indexOf(data.getString("color")));
      }
    }
    hung.resume();
    DynamoDbSettings settings = new DynamoDbSettings(true, URI.create(backends.dynalite().endpoint()), prefix,
        Duration.ofSeconds(10));
    PixelStore store = PixelStores.dynamodb(settings);
    try {
      Canvas stored = CanvasRecovery.recover(store, SIZE, SIZE);
      acked.forEach((offset, color) -> assertThat(stored.get(offset % SIZE, offset / SIZE))
          .as("acked pixel (%d,%d) in the store", offset % SIZE, offset / SIZE).isEqualTo(color));
    } finally {
      store.close();
    }
  }

  private static String color(int i) {
    return PALETTE.colors().get(index(i));
  }

  private static int index(int i) {
    return i % 31 + 1;
  }
}
