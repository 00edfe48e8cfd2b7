package dev.pixels.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.PixelStores;
import dev.pixels.testing.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two rebuilds of an emptied Redis that overlap: Redis is flushed again while the first waits out
 * its grace period, so a second instance starts one too. The first installs, the cluster goes on
 * sequencing and storing, and the second, which read the store earlier, must not install its older
 * canvas over the one in use: that would hand out again seqs already stored and acknowledged.
 */
class InterleavedRebuildsTest {
  private static final int SIZE = 8;
  private RedisServer server;
  private RedisCanvas redis;

  @BeforeEach
  void start() {
    server = RedisServer.start();
    redis = new RedisCanvas(new RedisSettings(true, "127.0.0.1", server.port(), null, false), Duration.ofSeconds(2),
        1_000, new SimpleMeterRegistry());
    redis.loadScripts();
  }

  @AfterEach
  void stop() {
    redis.close();
    server.close();
  }

  @Test
  void aRebuildThatFindsACanvasInstalledMeanwhileLeavesItAlone() throws Exception {
    assertThat(redis.install(new byte[SIZE * SIZE], 100, "first")).isTrue();
    // The cluster goes on from the first rebuild: pixels 101..110 are sequenced and stored.
    for (int i = 0; i < 10; i++) {
      redis.acceptAsync(i, 3, "painter", Tool.BRUSH.wireName(), i, 0, new SharedRateLimit(0, 0, 0), true)
          .get(2, TimeUnit.SECONDS);
    }
    assertThat(redis.commit("first", 110)).isTrue();

    // The second rebuild read the store when it held seq 100, and installs only now.
    assertThat(redis.install(new byte[SIZE * SIZE], 100, "second")).isFalse();

    RedisCanvas.Snapshot after = redis.snapshot(SIZE);
    assertThat(after.epoch()).isEqualTo("first");
    assertThat(after.seq()).isEqualTo(110);
    assertThat(redis.seq()).as("the next seq handed out follows the stored ones").isEqualTo(110);
  }

  @Test
  void aBootstrapWhoseRebuildIsOvertakenKeepsTheCanvasAlreadyInstalled() {
    PixelStore store = PixelStores.memory();
    List<PixelChange> stored = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      stored.add(new PixelChange(i, i, 0, 2, 0, "painter", 1_000L * i, Tool.BRUSH));
    }
    store.append(stored);
    CanvasBootstrap bootstrap = new CanvasBootstrap(redis, store, SIZE, SIZE, Duration.ofMillis(300), "slow");
    CompletableFuture<Boolean> rebuilding = CompletableFuture.supplyAsync(() -> bootstrap.ensureCanvas(
        Duration.ofSeconds(5)));
    // Another instance installs a newer canvas while this one waits out its grace period.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> server.command("GET", RedisCanvas.REBUILD_LEASE).contains("slow"));
    Canvas newer = new Canvas(SIZE, SIZE);
    assertThat(redis.install(newer.copyPixels(), 42, "other")).isTrue();

    assertThat(rebuilding.join()).isTrue();
    assertThat(redis.snapshot(SIZE).epoch()).isEqualTo("other");
    assertThat(redis.seq()).isEqualTo(42);
  }
}
