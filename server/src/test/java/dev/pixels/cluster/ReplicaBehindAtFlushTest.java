package dev.pixels.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.Palette;
import dev.pixels.testing.ClusterFixture;
import dev.pixels.testing.RedisServer;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An instance whose replica had not yet read the newest pixels when Redis lost its data: the
 * rebuilt canvas is its own plus those (stored, acknowledged) pixels, so its clients must get them
 * as an ordinary update and stay connected, and keep painting through it once the rebuild is done.
 */
class ReplicaBehindAtFlushTest {
  private static final int SIZE = 32;
  private static final Palette PALETTE = Palette.defaultPalette();
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

  private TestServer startServer(String batchIntervalMs) {
    Map<String, String> env = backends.env(tablePrefix, SIZE); // one shared store
    env.put("BATCH_INTERVAL_MS", batchIntervalMs);
    env.put("DURABILITY_TIMEOUT_MS", "2000");
    env.put("CANVAS_CHECKPOINT_INTERVAL_MS", "600000");
    env.put("SESSION_SECRET", "one-secret-for-every-instance-0123456789");
    TestServer server = TestServer.start(env);
    servers.add(server);
    return server;
  }

  private WsClient connect(TestServer server) {
    WsClient client = server.connect("");
    clients.add(client);
    return client;
  }

  private static long canvasSeq(TestServer server) {
    return Long.parseLong(server.get("/canvas").headers().firstValue("X-Canvas-Seq").orElseThrow());
  }

  @Test
  void aWatcherOnAnInstanceThatWasBehindWhenRedisWasFlushedGetsTheMissedPixelsAndStaysConnected() {
    TestServer painted = startServer("20");
    // Reads the stream once at start, then only every 5 s: it is behind when Redis is flushed.
    TestServer lagging = startServer("5000");
    WsClient watcher = connect(lagging);
    assertThat(watcher.next("canvas:state").getJsonObject("data").getLong("seq")).isZero();
    WsClient laggingPainter = connect(lagging);
    laggingPainter.next("canvas:state");

    WsClient painter = connect(painted);
    painter.next("canvas:state");
    Canvas expected = new Canvas(SIZE, SIZE);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(painter.paint(i, 3, PALETTE.colors().get(i + 1)));
      expected.set(i, 3, i + 1);
    }
    for (String id : ids) {
      assertThat(painter.answerTo(id).getString("type")).isEqualTo("pixel:ack");
    }
    assertThat(canvasSeq(lagging)).as("precondition: the lagging replica has not read the pixels").isZero();
    redis.command("FLUSHALL");

    JsonObject update = watcher.next(m -> "pixel:bulk_update".equals(m.getString("type")), Duration.ofSeconds(30),
        "the pixels the lagging replica had not shown yet").getJsonObject("data");
    assertThat(update.getLong("fromSeq")).isEqualTo(1);
    assertThat(update.getLong("toSeq")).isEqualTo(10);
    assertThat(update.getString("hash")).isEqualTo(expected.sha256Hex());
    assertThat(watcher.closeCode()).as("nothing was taken back, so nobody is told to resync").isNull();

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      JsonObject answer = laggingPainter.answerTo(laggingPainter.paint(20, 20, "#000000"));
      assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("pixel:ack");
    });
    assertThat(laggingPainter.closeCode()).isNull();
  }
}
