package dev.pixels.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.Palette;
import dev.pixels.testing.Api;
import dev.pixels.testing.ClusterFixture;
import dev.pixels.testing.RedisServer;
import dev.pixels.testing.TcpProxy;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three fully separate servers (own Vert.x, replica, intake, store client) sharing one real
 * redis-server and one dynalite, driven by real WebSocket and HTTP clients.
 */
class SharedCanvasTest {
  private static final int SIZE = 64;
  private static final Palette PALETTE = Palette.defaultPalette();
  private static ClusterFixture backends;
  private static RedisServer redis;
  private final List<TestServer> servers = new ArrayList<>();
  private final List<WsClient> clients = new ArrayList<>();
  private String prefix;

  @BeforeAll
  static void startBackends() {
    backends = ClusterFixture.start();
    redis = backends.redis();
  }

  @AfterAll
  static void stopBackends() {
    backends.close();
  }

  @BeforeEach
  void freshState() {
    EmptySharedCanvas.install(redis, SIZE, SIZE);
    prefix = backends.dynalite().tablePrefix();
  }

  @AfterEach
  void stopServers() {
    clients.forEach(WsClient::close);
    servers.forEach(TestServer::close);
  }

  private Map<String, String> env(Map<String, String> overrides) {
    Map<String, String> env = backends.env(prefix, SIZE);
    env.put("BATCH_INTERVAL_MS", "20");
    env.put("DURABILITY_TIMEOUT_MS", "2000");
    env.put("CANVAS_CHECKPOINT_INTERVAL_MS", "300");
    env.put("RATE_LIMIT_PER_SECOND", "0");
    env.put("RATE_LIMIT_BURST", "0");
    env.put("RATE_LIMIT_PER_MINUTE", "0");
    env.put("SESSION_SECRET", "one-secret-for-every-instance-0123456789");
    env.putAll(overrides);
    return env;
  }

  private TestServer startServer(Map<String, String> overrides) {
    TestServer s = TestServer.start(env(overrides));
    servers.add(s);
    return s;
  }

  private List<TestServer> startThree() {
    for (int i = 0; i < 3; i++) {
      startServer(Map.of());
    }
    return List.copyOf(servers);
  }

  private WsClient connect(TestServer server, String query) {
    WsClient c = server.connect(query);
    clients.add(c);
    return c;
  }

  /** Paints distinct pixels and returns the acked ones, (x,y) -> palette index. */
  private static Map<Integer, Integer> paintAndAwaitAcks(WsClient painter, int row, int count, int colorOffset) {
    Map<Integer, Integer> acked = new HashMap<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(painter.paint(i, row, PALETTE.colors().get((i + colorOffset) % 31 + 1)));
    }
    for (int i = 0; i < count; i++) {
      JsonObject answer = painter.answerTo(ids.get(i));
      assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("pixel:ack");
      acked.put(row * SIZE + i, (i + colorOffset) % 31 + 1);
    }
    return acked;
  }

  /** Follows bulk updates on a canvas of its own, checking contiguity and each batch's hash. */
  private static final class Follower {
    final Canvas canvas;
    final WsClient client;

    Follower(WsClient client) {
      this.client = client;
      JsonObject state = client.next("canvas:state").getJsonObject("data");
      assertThat(state.getLong("seq")).isZero();
      this.canvas = new Canvas(SIZE, SIZE);
    }

    Follower(WsClient client, Canvas start) {
      this.client = client;
      this.canvas = start;
    }

    void followUntil(long seq) {
      while (canvas.seq() < seq) {
        JsonObject data = client.next("pixel:bulk_update").getJsonObject("data");
        assertThat(data.getLong("fromSeq")).as("contiguous after %d", canvas.seq()).isEqualTo(canvas.seq() + 1);
        long s = data.getLong("fromSeq");
        for (Object o : data.getJsonArray("pixels")) {
          JsonObject p = (JsonObject) o;
          canvas.set(p.getInteger("x"), p.getInteger("y"), PALETTE.indexOf(p.getString("color")));
        }
        canvas.apply(new dev.pixels.canvas.PixelChange(data.getLong("toSeq"), 0, 0, canvas.get(0, 0), 0, "", 0,
            dev.pixels.canvas.Tool.BRUSH));
        assertThat(canvas.sha256Hex()).as("hash at seq %d (from %d)", canvas.seq(), s).isEqualTo(data.getString("hash"));
      }
    }
  }

  private static HttpResponse<byte[]> canvasAt(TestServer server, long seq) {
    java.util.concurrent.atomic.AtomicReference<HttpResponse<byte[]>> last = new java.util.concurrent.atomic.AtomicReference<>();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      HttpResponse<byte[]> response = server.get("/canvas");
      last.set(response);
      return response.statusCode() == 200
          && Long.parseLong(response.headers().firstValue("X-Canvas-Seq").orElse("-1")) == seq;
    });
    return last.get();
  }

  @Test
  void redisCommandLatencyAndErrorsAreExportedAsPixelsMetrics() {
    TestServer server = startServer(Map.of());
    WsClient painter = connect(server, "");
    assertThat(painter.answerTo(painter.paint(1, 1, "#000000")).getString("type")).isEqualTo("pixel:ack");
    String metrics = new String(server.get("/metrics").body(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(metrics).contains("pixels_redis_command_seconds_count{command=\"EVALSHA\"")
        .contains("pixels_redis_errors_total")
        .doesNotContain("lettuce_");
  }

  @Test
  void paintersOnThreeInstancesAreSeenByWatchersOnEveryInstanceAndAllConvergeToOneCanvas() throws Exception {
    List<TestServer> three = startThree();
    List<Follower> watchers = new ArrayList<>();
    for (TestServer s : three) {
      watchers.add(new Follower(connect(s, "")));
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    Map<Integer, Integer> acked = new ConcurrentHashMap<>();
    List<Future<?>> painting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      WsClient painter = connect(three.get(i), "");
      painter.next("canvas:state");
      int row = i;
      painting.add(pool.submit(() -> acked.putAll(paintAndAwaitAcks(painter, row, 40, row))));
    }
    for (Future<?> f : painting) {
      f.get();
    }
    pool.shutdown();

    String hash = null;
    for (Follower w : watchers) {
      w.followUntil(120);
      hash = hash == null ? w.canvas.sha256Hex() : hash;
      assertThat(w.canvas.sha256Hex()).isEqualTo(hash);
    }
    for (TestServer s : three) {
      HttpResponse<byte[]> canvas = canvasAt(s, 120);
      assertThat(Canvas.sha256Hex(canvas.body())).isEqualTo(hash);
      assertThat(canvas.headers().firstValue("ETag").orElseThrow()).isEqualTo("\"" + hash + "\"");
    }
    acked.forEach((offset, color) -> assertThat(watchers.get(0).canvas.get(offset % SIZE, offset / SIZE)).isEqualTo(color));
  }

  @Test
  void aUserIsHeldToOneRateLimitWhicheverInstanceItPaintsThrough() {
    startServer(Map.of("RATE_LIMIT_PER_SECOND", "1", "RATE_LIMIT_BURST", "3", "RATE_LIMIT_PER_MINUTE", "100"));
    RedisSettings settings = new RedisSettings(true, "127.0.0.1", redis.port(), null, false);
    SharedRateLimit limit = new SharedRateLimit(1, 3, 100);
    try (RedisCanvas first = new RedisCanvas(settings, Duration.ofSeconds(2), 1000, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        RedisCanvas second = new RedisCanvas(settings, Duration.ofSeconds(2), 1000, new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
      first.loadScripts();
      List<RedisCanvas.Accepted> results = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        RedisCanvas instance = i % 2 == 0 ? first : second; // alternate "instances", same user
        results.add(RedisCanvas.parseAccepted(reply(instance.acceptAsync(i, 1, "user-42", "brush", i, 0, limit, false))));
      }
      assertThat(results.subList(0, 3)).allMatch(r -> r instanceof RedisCanvas.Accepted.Ok);
      assertThat(results.subList(3, 6)).allSatisfy(r -> {
        assertThat(r).isInstanceOf(RedisCanvas.Accepted.RateLimited.class);
        assertThat(((RedisCanvas.Accepted.RateLimited) r).retryAfterMs()).isBetween(1L, 1000L);
      });
      RedisCanvas.Accepted admin = RedisCanvas.parseAccepted(
          reply(second.acceptAsync(9, 1, "user-42", "brush", 9, 0, limit, true)));
      assertThat(admin).as("admins are exempt").isInstanceOf(RedisCanvas.Accepted.Ok.class);
    }
  }

  @Test
  void aPainterOverTheSharedLimitIsRejectedWithRetryAfter() {
    TestServer server = startServer(Map.of("RATE_LIMIT_PER_SECOND", "1", "RATE_LIMIT_BURST", "2",
        "RATE_LIMIT_PER_MINUTE", "100"));
    WsClient painter = connect(server, "");
    painter.next("canvas:state");
    List<String> ids = List.of(painter.paint(1, 1, "#000000"), painter.paint(2, 1, "#000000"),
        painter.paint(3, 1, "#000000"));
    assertThat(painter.answerTo(ids.get(0)).getString("type")).isEqualTo("pixel:ack");
    assertThat(painter.answerTo(ids.get(1)).getString("type")).isEqualTo("pixel:ack");
    JsonObject third = painter.answerTo(ids.get(2));
    assertThat(third.getString("type")).isEqualTo("pixel:reject");
    assertThat(third.getJsonObject("data").getString("reason")).isEqualTo("rate_limited");
    assertThat(third.getJsonObject("data").getLong("retryAfterMs")).isPositive();
  }

  private static List<Object> reply(io.lettuce.core.RedisFuture<List<Object>> future) {
    try {
      return future.get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void whenAnInstanceDiesItsWatcherResumesOnAnotherWithSinceSeqAndMissesNothing() {
    List<TestServer> three = startThree();
    Follower watcher = new Follower(connect(three.get(0), ""));
    WsClient painter = connect(three.get(1), "");
    painter.next("canvas:state");
    paintAndAwaitAcks(painter, 0, 20, 0);
    watcher.followUntil(20);

    three.get(0).close();
    servers.remove(three.get(0));
    paintAndAwaitAcks(painter, 1, 20, 5); // painted while the watcher is away

    WsClient resumed = connect(three.get(2), "?sinceSeq=" + watcher.canvas.seq());
    JsonObject state = resumed.next("canvas:state").getJsonObject("data");
    assertThat(state.getBoolean("resync", false)).isFalse();
    Follower again = new Follower(resumed, watcher.canvas);
    again.followUntil(40);
    assertThat(again.canvas.sha256Hex()).isEqualTo(Canvas.sha256Hex(canvasAt(three.get(2), 40).body()));
  }

  @Test
  void afterRedisIsFlushedTheCanvasIsRebuiltFromDynamoDbWithEveryAckedPixel() {
    List<TestServer> three = startThree();
    Map<Integer, Integer> acked = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      WsClient painter = connect(three.get(i), "");
      painter.next("canvas:state");
      acked.putAll(paintAndAwaitAcks(painter, i, 15, i));
    }
    redis.command("FLUSHALL");

    for (TestServer s : three) {
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        byte[] bitmap = s.get("/canvas").body();
        acked.forEach((offset, color) -> assertThat(bitmap[offset] & 0xFF).isEqualTo(color));
      });
    }
  }

  /**
   * The instance painted through may have been behind (not yet read the last pixels) when Redis
   * was flushed; its client stays connected and is accepted again once the rebuild is done.
   */
  @Test
  void afterRedisIsFlushedEveryInstanceAcceptsPixelsAgain() {
    List<TestServer> three = startThree();
    for (int i = 0; i < 3; i++) {
      WsClient painter = connect(three.get(i), "");
      painter.next("canvas:state");
      paintAndAwaitAcks(painter, i, 15, i);
    }
    redis.command("FLUSHALL");
    WsClient after = connect(three.get(2), "");
    after.next("canvas:state");
    // Until the rebuild (after its grace period) is done, pixels are refused as unavailable.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      String id = after.paint(5, 10, "#000000");
      JsonObject answer = after.answerTo(id);
      assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("pixel:ack");
    });
  }

  @Test
  void whileRedisIsDownPixelsAreRefusedTheLastCanvasIsServedAndHealthIsDegradedUntilItReturns() {
    TestServer server = startServer(Map.of());
    WsClient painter = connect(server, "");
    painter.next("canvas:state");
    Map<Integer, Integer> acked = paintAndAwaitAcks(painter, 0, 10, 0);
    HttpResponse<byte[]> before = canvasAt(server, 10);

    redis.kill();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> server.get("/health").statusCode() == 200
          && new JsonObject(new String(server.get("/health").body())).getString("status").equals("degraded"));
      String id = painter.paint(20, 20, "#000000");
      JsonObject answer = painter.answerTo(id);
      assertThat(answer.getString("type")).isEqualTo("pixel:reject");
      assertThat(answer.getJsonObject("data").getString("reason")).isEqualTo("unavailable");
      HttpResponse<byte[]> during = server.get("/canvas");
      assertThat(during.statusCode()).isEqualTo(200);
      assertThat(during.body()).isEqualTo(before.body());
    } finally {
      redis.restart(); // empty, as after a crash without persistence
    }

    await().atMost(Duration.ofSeconds(20)).until(() ->
        new JsonObject(new String(server.get("/health").body())).getString("status").equals("ok"));
    byte[] rebuilt = canvasAt(server, 10).body();
    acked.forEach((offset, color) -> assertThat(rebuilt[offset] & 0xFF).isEqualTo(color));
    WsClient again = connect(server, "");
    again.next("canvas:state");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(again.answerTo(again.paint(30, 30, "#000000")).getString("type")).isEqualTo("pixel:ack"));
  }

  @Test
  void aPixelNobodyStoredIsNeverShownAndACrashTakesBackNothingAWatcherSaw() {
    TcpProxy toDynamo = new TcpProxy(backends.dynalite().port());
    try {
      // Both instances store through the proxy, so that cutting it leaves nobody able to store.
      Map<String, String> viaProxy = Map.of("DYNAMODB_ENDPOINT", "http://127.0.0.1:" + toDynamo.port(),
          "CANVAS_CHECKPOINT_INTERVAL_MS", "600000");
      TestServer painted = startServer(viaProxy);
      WsClient painter = connect(painted, "");
      painter.next("canvas:state");
      paintAndAwaitAcks(painter, 0, 5, 0);
      TestServer survivor = startServer(viaProxy);
      Follower watcher = new Follower(connect(survivor, ""), new Canvas(SIZE, SIZE, canvasAt(survivor, 5).body(), 5));

      toDynamo.cut();
      JsonObject answer = painter.answerTo(painter.paint(40, 40, "#000000"));
      assertThat(answer.getString("type")).isEqualTo("pixel:reject");
      assertThat(answer.getJsonObject("data").getString("reason")).isEqualTo("unavailable");
      assertThat(watcher.client.unread(Duration.ZERO)).as("frames a watcher got for a pixel nobody stored")
          .noneMatch(m -> "pixel:bulk_update".equals(m.getString("type")));
      assertThat(canvasAt(survivor, 5).body()[40 * SIZE + 40]).as("served before it was stored").isZero();

      redis.command("FLUSHALL"); // Redis loses the sequenced pixel...
      painted.close(); // ...and the instance that sequenced it stops
      servers.remove(painted);
      toDynamo.restore();

      await().atMost(Duration.ofSeconds(20)).until(() ->
          new JsonObject(new String(survivor.get("/health").body())).getString("status").equals("ok"));
      WsClient next = connect(survivor, "");
      next.next("canvas:state");
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(next.answerTo(next.paint(41, 41, "#000000")).getString("type")).isEqualTo("pixel:ack"));
      // The watcher goes on from where it was, with no resync: the new pixel is the next seq.
      watcher.followUntil(6);
      assertThat(watcher.client.closeCode()).as("close code").isNull();
      assertThat(watcher.canvas.get(40, 40)).isZero();
      assertThat(watcher.canvas.get(41, 41)).isEqualTo(PALETTE.indexOf("#000000"));
      assertThat(canvasAt(survivor, 6).body()[40 * SIZE + 40]).isZero();
    } finally {
      toDynamo.close();
    }
  }

  // ---- safety features (locks, bans, limits) across instances ----

  private static final String ADMIN = TestServer.ADMIN_TOKEN;

  private static String sessionToken(TestServer server) {
    return Api.json(new Api(server).post("/session", null, null)).getString("token");
  }

  private static String userIdOf(WsClient client) {
    return client.next("canvas:state").getJsonObject("data").getString("userId");
  }

  private static JsonObject answer(WsClient painter, int x, int y) {
    return painter.answerTo(painter.paint(x, y, "#000000"));
  }

  private static String rejectReason(JsonObject answer) {
    return "pixel:reject".equals(answer.getString("type")) ? answer.getJsonObject("data").getString("reason") : null;
  }

  @Test
  void oneUserOnTwoInstancesIsHeldToOneRateLimitThroughRealSockets() {
    Map<String, String> limited = Map.of("RATE_LIMIT_PER_MINUTE", "4");
    TestServer a = startServer(limited);
    TestServer b = startServer(limited);
    String token = sessionToken(a);
    WsClient onA = connect(a, "?token=" + token);
    WsClient onB = connect(b, "?token=" + token);
    assertThat(userIdOf(onB)).as("the same session is the same user everywhere").isEqualTo(userIdOf(onA));

    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      JsonObject reply = answer(i % 2 == 0 ? onA : onB, i, 3);
      answers.add(reply.getString("type") + (rejectReason(reply) == null ? "" : ":" + rejectReason(reply)));
    }
    assertThat(answers).containsExactly("pixel:ack", "pixel:ack", "pixel:ack", "pixel:ack",
        "pixel:reject:rate_limited", "pixel:reject:rate_limited", "pixel:reject:rate_limited",
        "pixel:reject:rate_limited");

    WsClient other = connect(b, "?token=" + sessionToken(b));
    other.next("canvas:state");
    assertThat(answer(other, 9, 9).getString("type")).as("another user has a limit of their own").isEqualTo("pixel:ack");
  }

  @Test
  void aLockMadeOnOneInstanceRejectsPixelsOnAnotherAndItsBroadcastsReachClientsThere() {
    TestServer a = startServer(Map.of());
    TestServer b = startServer(Map.of());
    WsClient painterOnB = connect(b, "");
    painterOnB.next("canvas:state");
    assertThat(answer(painterOnB, 5, 5).getString("type")).isEqualTo("pixel:ack");

    HttpResponse<byte[]> created = new Api(a).post("/locks", new JsonObject().put("x1", 0).put("y1", 0).put("x2", 9)
        .put("y2", 9).put("reason", "art in progress"), ADMIN);
    assertThat(created.statusCode()).isEqualTo(201);
    JsonObject lock = painterOnB.next("moderation:lock").getJsonObject("data");
    assertThat(lock.getString("reason")).isEqualTo("art in progress");
    assertThat(rejectReason(answer(painterOnB, 5, 6))).isEqualTo("locked_region");
    assertThat(answer(painterOnB, 20, 20).getString("type")).isEqualTo("pixel:ack");
    assertThat(Api.json(b.get("/locks")).getJsonArray("locks")).hasSize(1);

    assertThat(new Api(a).delete("/locks/0/0/9/9", ADMIN).statusCode()).isEqualTo(204);
    assertThat(painterOnB.next("moderation:unlock").getJsonObject("data").getInteger("x2")).isEqualTo(9);
    assertThat(answer(painterOnB, 5, 6).getString("type")).isEqualTo("pixel:ack");
    assertThat(new Api(b).delete("/locks/0/0/9/9", ADMIN).statusCode()).as("gone on every instance").isEqualTo(404);
  }

  @Test
  void aBanMadeOnOneInstanceIsEnforcedOnAnotherAndLiftedThereToo() {
    TestServer a = startServer(Map.of());
    TestServer b = startServer(Map.of());
    WsClient griefer = connect(b, "?token=" + sessionToken(a));
    String userId = userIdOf(griefer);
    assertThat(answer(griefer, 1, 1).getString("type")).isEqualTo("pixel:ack");

    HttpResponse<byte[]> banned = new Api(a).post("/admin/bans", new JsonObject().put("userId", userId)
        .put("reason", "griefing"), ADMIN);
    assertThat(banned.statusCode()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
        assertThat(rejectReason(answer(griefer, 2, 2))).isEqualTo("banned"));
    assertThat(Api.json(new Api(b).get("/admin/bans", ADMIN)).getJsonArray("bans")).hasSize(1);

    String id = Api.json(banned).getString("id");
    assertThat(new Api(b).delete("/admin/bans/" + id, ADMIN).statusCode()).isEqualTo(204);
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
        assertThat(answer(griefer, 3, 3).getString("type")).isEqualTo("pixel:ack"));
  }

  @Test
  void aRollbackPreviewedAndMadeOnOneInstanceIsBroadcastToWatchersOnAnotherWithTheSameHash() {
    TestServer a = startServer(Map.of());
    TestServer b = startServer(Map.of());
    Follower watcherOnB = new Follower(connect(b, ""));
    WsClient artist = connect(b, "");
    artist.next("canvas:state");
    assertThat(answer(artist, 10, 10).getString("type")).isEqualTo("pixel:ack"); // seq 1, black
    java.time.Instant since = java.time.Instant.now();
    await().until(() -> java.time.Instant.now().isAfter(since.plusMillis(2)));
    WsClient griefer = connect(b, "?token=" + sessionToken(b));
    String grieferId = userIdOf(griefer);
    for (int i = 0; i < 3; i++) {
      assertThat(griefer.answerTo(griefer.paint(10 + i, 10, "#E50000")).getString("type")).isEqualTo("pixel:ack");
    }
    assertThat(answer(artist, 12, 10).getString("type")).isEqualTo("pixel:ack"); // newer work by someone else: seq 5
    watcherOnB.followUntil(5);
    // The preview compares with the canvas of the instance asked, which applies seq 5 a moment
    // after b has published it.
    canvasAt(a, 5);

    JsonObject preview = Api.json(new Api(a).post("/admin/rollback/preview", new JsonObject().put("userId", grieferId)
        .put("since", since.toString()), ADMIN));
    assertThat(preview.getInteger("pixelsChanged")).as(preview.encode()).isEqualTo(2);
    assertThat(preview.getJsonArray("pixels").stream().map(p -> ((JsonObject) p).getInteger("x")).toList())
        .containsExactly(10, 11);
    assertThat(Canvas.sha256Hex(canvasAt(b, 5).body())).as("the preview changed nothing").isEqualTo(watcherOnB.canvas.sha256Hex());

    HttpResponse<byte[]> r = new Api(a).post("/admin/rollback", new JsonObject().put("userId", grieferId)
        .put("since", since.toString()), ADMIN);
    assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
    JsonObject result = Api.json(r);
    assertThat(result.getInteger("pixelsChanged")).isEqualTo(2);
    assertThat(result.getLong("fromSeq")).isEqualTo(6);
    assertThat(result.getLong("toSeq")).isEqualTo(7);

    watcherOnB.followUntil(7);
    Canvas seen = watcherOnB.canvas;
    assertThat(seen.get(10, 10)).as("back to the artist's black").isEqualTo(PALETTE.indexOf("#000000"));
    assertThat(seen.get(11, 10)).as("back to the background").isZero();
    assertThat(seen.get(12, 10)).as("newer work by others stays").isEqualTo(PALETTE.indexOf("#000000"));
    for (TestServer s : List.of(a, b)) {
      assertThat(Canvas.sha256Hex(canvasAt(s, 7).body())).isEqualTo(seen.sha256Hex());
    }
    JsonObject logged = Api.json(new Api(b).get("/audit?limit=1", ADMIN)).getJsonArray("entries").getJsonObject(0);
    assertThat(logged.getString("tool")).isEqualTo("rollback");
    assertThat(logged.getLong("seq")).isEqualTo(7);
  }
}
