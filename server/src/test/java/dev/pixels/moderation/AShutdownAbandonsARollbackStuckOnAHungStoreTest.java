package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.cluster.EmptySharedCanvas;
import dev.pixels.testing.Api;
import dev.pixels.testing.ClusterFixture;
import dev.pixels.testing.TcpProxy;
import dev.pixels.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A cluster instance told to stop while a rollback reads the pixel log from a store that hangs (a
 * proxy in front of DynamoDB that stops forwarding, so the read waits for its own timeout, well
 * beyond the shutdown deadline): the stop must still end within {@code SHUTDOWN_TIMEOUT_MS},
 * abandoning the rollback rather than waiting for the store.
 */
class AShutdownAbandonsARollbackStuckOnAHungStoreTest {
  private static final long SHUTDOWN_MS = 2_000;
  /** Scheduling slack on a shared machine; the old stop waited for the repair, up to 10 s. */
  private static final long SLACK_MS = 500;
  /** The store's whole-call timeout, so how long the log read hangs. */
  private static final long STORE_TIMEOUT_MS = 5_000;

  @Test
  void aClusterInstanceStopsWithinTheShutdownTimeoutWhileARollbackWaitsForAHungStore() throws Exception {
    try (ClusterFixture backends = ClusterFixture.start();
        TcpProxy storeProxy = new TcpProxy(backends.dynalite().port());
        ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
      EmptySharedCanvas.install(backends.redis(), 16, 16);
      Map<String, String> env = ClusterFixture.env(backends.dynalite(), backends.dynalite().tablePrefix(),
          backends.redis().port(), 16);
      env.put("DYNAMODB_ENDPOINT", "http://127.0.0.1:" + storeProxy.port());
      env.put("DURABILITY_TIMEOUT_MS", Long.toString(STORE_TIMEOUT_MS));
      env.put("SHUTDOWN_TIMEOUT_MS", Long.toString(SHUTDOWN_MS));
      TestServer server = TestServer.start(env);
      long tookMs;
      try {
        storeProxy.stall();
        CompletableFuture<?> rollback = CompletableFuture.runAsync(() -> new Api(server).post("/admin/rollback",
            new JsonObject().put("userId", "griefer").put("since", Instant.EPOCH.toString()), TestServer.ADMIN_TOKEN),
            clients);
        awaitRepairReadingTheLog(rollback);
      } finally {
        long started = System.nanoTime();
        server.close();
        tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        storeProxy.resume();
      }
      assertThat(tookMs).as("stop took %d ms with SHUTDOWN_TIMEOUT_MS=%d", tookMs, SHUTDOWN_MS)
          .isLessThanOrEqualTo(SHUTDOWN_MS + SLACK_MS);
    }
  }

  /** Waits (bounded) until the repair thread is inside a store's log read, which the proxy holds. */
  private static void awaitRepairReadingTheLog(CompletableFuture<?> rollback) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!repairThreadIsReadingTheLog()) {
      assertThat(rollback).as("the rollback ended before it read the log").isNotDone();
      assertThat(System.nanoTime()).as("the rollback reads the log within 10 s").isLessThan(deadline);
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  private static boolean repairThreadIsReadingTheLog() {
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(thread -> thread.getKey().getName().equals("pixels-moderation-repair"))
        .anyMatch(thread -> Arrays.stream(thread.getValue()).anyMatch(frame ->
            frame.getClassName().startsWith("dev.pixels.storage.") && frame.getMethodName().equals("history")));
  }
}
