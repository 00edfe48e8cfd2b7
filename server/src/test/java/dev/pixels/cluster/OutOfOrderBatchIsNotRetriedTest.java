package dev.pixels.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.realtime.Replies;
import dev.pixels.storage.Checkpoint;
import dev.pixels.storage.HistoryQuery;
import dev.pixels.storage.LogOrderException;
import dev.pixels.storage.PixelStore;
import dev.pixels.testing.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A store that refuses a batch as out of log order refuses it again however often it is repeated,
 * so the intake gives up on it at once instead of retrying it until the pixels' deadline. Real
 * Redis sequences the edit; the store is a stand-in that always refuses.
 */
class OutOfOrderBatchIsNotRetriedTest {
  private static final int SIZE = 8;
  private RedisServer server;
  private RedisCanvas redis;
  private ClusterIntake intake;

  @BeforeEach
  void start() {
    server = RedisServer.start();
    redis = new RedisCanvas(new RedisSettings(true, "127.0.0.1", server.port(), null, false), Duration.ofSeconds(2),
        1_000, new SimpleMeterRegistry());
    redis.loadScripts();
    redis.install(new byte[SIZE * SIZE], 0, "test-epoch");
  }

  @AfterEach
  void stop() {
    if (intake != null) {
      intake.stop(System.nanoTime());
    }
    redis.close();
    server.close();
  }

  @Test
  void aBatchTheStoreRefusesAsOutOfLogOrderIsTriedOnceAndItsEditsFail() {
    RefusingStore store = new RefusingStore();
    // Long enough that retries until the deadline would repeat the call many times.
    intake = new ClusterIntake(redis, store, new Replies(), new SharedRateLimit(0, 0, 0),
        SIZE, 100, Duration.ofSeconds(3), Duration.ofSeconds(2));
    intake.start();

    assertThatThrownBy(() -> intake.apply(List.of(new CanvasEditor.Edit(1, 1, 3, CanvasEditor.ANY)), "admin",
        Tool.BRUSH).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(CanvasEditor.IncompleteEdit.class);
    assertThat(store.appends.get()).as("append calls for one refused batch").isEqualTo(1);
  }

  /** Refuses every append as the DynamoDB store refuses a batch below its log head. */
  private static final class RefusingStore implements PixelStore {
    final AtomicInteger appends = new AtomicInteger();

    @Override
    public String name() {
      return "refusing";
    }

    @Override
    public void append(List<PixelChange> batch) {
      appends.incrementAndGet();
      throw new LogOrderException("batch refused: seq " + batch.get(0).seq() + " does not follow the log");
    }

    @Override
    public void replay(long afterSeq, Consumer<PixelChange> sink) {}

    @Override
    public List<PixelChange> history(HistoryQuery query) {
      return List.of();
    }

    @Override
    public Optional<Checkpoint> latestCheckpoint() {
      return Optional.empty();
    }

    @Override
    public void saveCheckpoint(Checkpoint checkpoint) {}

    @Override
    public boolean isHealthy() {
      return true;
    }

    @Override
    public void close() {}
  }
}
