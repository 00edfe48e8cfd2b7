package dev.pixels.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pixels.testing.ClusterFixture;
import dev.pixels.testing.RedisServer;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis unreachable for a while and then back empty (restarted without persistence): every
 * instance must accept pixels again within seconds of Redis answering, with every acknowledged
 * pixel still on the canvas, and clients who saw nothing taken back stay connected.
 */
class RedisRestartTest {
  private static final int SIZE = 32;
  /** The rebuild grace period is 2 x 1000 + 250 ms; the rest is reconnecting and one round of reads. */
  private static final Duration BACK_WITHIN = Duration.ofSeconds(8);
  private ClusterFixture backends;
  private RedisServer redis;
  private String tablePrefix;
  private final List<TestServer> servers = new ArrayList<>();
  private final List<WsClient> clients = new ArrayList<>();

  @BeforeEach
  void startBackends() {
    backends = ClusterFixture.start();
    redis = backends.redis();
    EmptySharedCanvas.install(redis, SIZE, SIZE);
    tablePrefix = backends.dynalite().tablePrefix();
  }

  @AfterEach
  void stopEverything() {
    clients.forEach(WsClient::close);
    servers.forEach(TestServer::close);
    backends.close();
  }

  private TestServer startServer() {
    Map<String, String> env = backends.env(tablePrefix, SIZE); // one shared store
    env.put("BATCH_INTERVAL_MS", "20");
    env.put("DURABILITY_TIMEOUT_MS", "1000");
    env.put("CANVAS_CHECKPOINT_INTERVAL_MS", "300");
    env.put("SESSION_SECRET", "one-secret-for-every-instance-0123456789");
    TestServer server = TestServer.start(env);
    servers.add(server);
    return server;
  }

  private WsClient connect(TestServer server) {
    WsClient client = server.connect("");
    clients.add(client);
    client.next("canvas:state");
    return client;
  }

  @Test
  void afterRedisWasDownForAWhileAndRestartedEmptyEveryInstanceAcceptsPixelsAgainWithinSeconds()
      throws InterruptedException {
    List<TestServer> two = List.of(startServer(), startServer());
    List<WsClient> painters = new ArrayList<>();
    Map<Integer, Integer> acked = new HashMap<>();
    for (int i = 0; i < two.size(); i++) {
      WsClient painter = connect(two.get(i));
      painters.add(painter);
      acked.putAll(AckedRows.paint(painter, i, 10, SIZE));
    }

    redis.kill();
    for (TestServer s : two) {
      await().atMost(Duration.ofSeconds(10)).until(() -> s.get("/ready").statusCode() == 503);
    }
    // The outage's length is the scenario (the Redis client's own reconnect backoff grows with it),
    // and no clock of ours drives that backoff.
    Thread.sleep(20_000);
    redis.restart(); // empty, as after a crash without persistence

    long deadline = System.nanoTime() + BACK_WITHIN.toNanos();
    for (int i = 0; i < two.size(); i++) {
      WsClient painter = painters.get(i);
      Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
      await().atMost(left).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        JsonObject answer = painter.answerTo(painter.paint(20, 20 + painters.indexOf(painter), "#000000"));
        assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("pixel:ack");
      });
    }
    for (TestServer s : two) {
      await().atMost(Duration.ofSeconds(5)).until(() -> s.get("/ready").statusCode() == 200);
      byte[] bitmap = s.get("/canvas").body();
      acked.forEach((offset, color) -> assertThat(bitmap[offset] & 0xFF).as("pixel %d", offset).isEqualTo(color));
    }
    assertThat(painters).as("nothing was taken back, so nobody was told to resync")
        .allSatisfy(p -> assertThat(p.closeCode()).isNull());
  }
}
