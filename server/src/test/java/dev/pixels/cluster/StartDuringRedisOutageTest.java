package dev.pixels.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pixels.testing.ClusterFixture;
import dev.pixels.testing.Dynalite;
import dev.pixels.testing.RedisServer;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An instance started while Redis is down, or while it comes back empty and another instance
 * rebuilds it, must start anyway: serve the stored canvas, answer {@code /ready} 503 naming Redis,
 * and join the shared canvas (ready, accepting pixels, no acknowledged pixel lost) once Redis is
 * back.
 */
class StartDuringRedisOutageTest {
  private static final int SIZE = 32;
  private static Dynalite dynalite;
  private RedisServer redis;
  private String tablePrefix;
  private final List<TestServer> servers = new ArrayList<>();
  private final List<WsClient> clients = new ArrayList<>();

  @BeforeAll
  static void startDynalite() {
    dynalite = Dynalite.start();
  }

  @AfterAll
  static void stopDynalite() {
    dynalite.close();
  }

  @BeforeEach
  void startRedis() {
    redis = RedisServer.start();
    tablePrefix = dynalite.tablePrefix();
  }

  @AfterEach
  void stopEverything() {
    clients.forEach(WsClient::close);
    servers.forEach(TestServer::close);
    redis.close();
  }

  private Map<String, String> env() {
    Map<String, String> env = ClusterFixture.env(dynalite, tablePrefix, redis.port(), SIZE); // one shared store
    env.put("BATCH_INTERVAL_MS", "20");
    env.put("DURABILITY_TIMEOUT_MS", "2000");
    env.put("CANVAS_CHECKPOINT_INTERVAL_MS", "300");
    env.put("SESSION_SECRET", "one-secret-for-every-instance-0123456789");
    return env;
  }

  private TestServer startServer() {
    TestServer server = TestServer.start(env());
    synchronized (servers) {
      servers.add(server);
    }
    return server;
  }

  private WsClient connect(TestServer server) {
    WsClient client = server.connect("");
    clients.add(client);
    client.next("canvas:state");
    return client;
  }

  private static void assertHolds(TestServer server, Map<Integer, Integer> acked) {
    byte[] bitmap = server.get("/canvas").body();
    acked.forEach((offset, color) -> assertThat(bitmap[offset] & 0xFF).as("pixel %d", offset).isEqualTo(color));
  }

  private static void assertNotReadyNamingRedis(TestServer server) {
    HttpResponse<byte[]> ready = server.get("/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    JsonObject body = new JsonObject(new String(ready.body(), StandardCharsets.UTF_8));
    assertThat(body.getJsonObject("checks").getString("redis")).isNotEqualTo("ok");
    assertThat(body.getString("message")).contains("redis");
  }

  /** Once Redis is back: ready, and a new client's pixel is acked (retried while the rebuild runs). */
  private void awaitJoined(TestServer server) {
    await().atMost(Duration.ofSeconds(40)).until(() -> server.get("/ready").statusCode() == 200);
    WsClient painter = connect(server);
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      JsonObject answer = painter.answerTo(painter.paint(SIZE - 1, SIZE - 1, "#000000"));
      assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("pixel:ack");
    });
  }

  private int connectedClients() {
    String info = redis.command("INFO", "clients");
    return Integer.parseInt(info.lines().filter(l -> l.startsWith("connected_clients:")).findFirst().orElseThrow()
        .substring("connected_clients:".length()).trim());
  }

  @Test
  void anInstanceStartedWhileRedisIsDownServesTheStoredCanvasIsNotReadyAndJoinsWhenRedisReturns() {
    TestServer first = startServer();
    Map<Integer, Integer> acked = AckedRows.paint(connect(first), 0, 12, SIZE);
    redis.kill();

    TestServer late = startServer(); // must not throw
    assertNotReadyNamingRedis(late);
    assertHolds(late, acked);

    redis.restart(); // empty, as after a crash without persistence
    awaitJoined(late);
    awaitJoined(first);
    assertHolds(late, acked);
    assertHolds(first, acked);
  }

  @Test
  void anInstanceStartingWhileAnotherRebuildsAndRedisDropsAgainStartsAndJoinsLater() throws Exception {
    TestServer first = startServer();
    Map<Integer, Integer> acked = AckedRows.paint(connect(first), 0, 12, SIZE);
    servers.remove(first);
    first.close();
    // Redis came back empty and another instance holds the rebuild lease (it is in its grace
    // period), so a starting instance waits for the canvas...
    redis.command("FLUSHALL");
    redis.command("SET", RedisCanvas.REBUILD_LEASE, "another-instance", "PX", "60000");
    CompletableFuture<TestServer> starting = CompletableFuture.supplyAsync(this::startServer);
    await().atMost(Duration.ofSeconds(10)).until(() -> connectedClients() >= 2); // it and this probe
    assertThat(starting).as("still waiting for the canvas").isNotDone();
    redis.kill(); // ...and while it waits, Redis drops again.

    TestServer late = starting.get(60, TimeUnit.SECONDS); // must not throw
    assertNotReadyNamingRedis(late);
    assertHolds(late, acked);

    redis.restart();
    awaitJoined(late);
    assertHolds(late, acked);
  }
}
