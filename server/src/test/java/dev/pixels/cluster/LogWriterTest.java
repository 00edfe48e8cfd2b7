package dev.pixels.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.storage.DynamoDbSettings;
import dev.pixels.storage.HistoryQuery;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.PixelStores;
import dev.pixels.testing.Dynalite;
import dev.pixels.testing.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The log writer against a real redis-server and dynalite: it stores what Redis sequenced, in
 * order, and raises the commit mark, including after another writer stored part of the stream and
 * died before raising it.
 */
class LogWriterTest {
  private static final int SIZE = 8;
  private static final String EPOCH = "test-epoch";
  private static Dynalite dynalite;
  private RedisServer server;
  private RedisCanvas redis;
  private DynamoDbSettings settings;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void startDynalite() {
    dynalite = Dynalite.start();
  }

  @AfterAll
  static void stopDynalite() {
    dynalite.close();
  }

  @BeforeEach
  void start() {
    server = RedisServer.start();
    redis = new RedisCanvas(new RedisSettings(true, "127.0.0.1", server.port(), null, false), Duration.ofSeconds(2),
        1_000, new SimpleMeterRegistry());
    redis.loadScripts();
    redis.install(new byte[SIZE * SIZE], 0, EPOCH);
    settings = dynalite.freshSettings();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    redis.close();
    server.close();
  }

  private PixelStore store() {
    PixelStore store = PixelStores.dynamodb(settings);
    open.add(store);
    return store;
  }

  private LogWriter writer(PixelStore store, String id) {
    LogWriter writer = new LogWriter(redis, store, id, Duration.ofMillis(2));
    open.add(writer);
    return writer;
  }

  /** Sequences {@code n} pixels through the accept script, the i-th on offset i with colour i % 7 + 1. */
  private List<RedisCanvas.Accepted.Ok> sequence(int n) throws Exception {
    List<RedisCanvas.Accepted.Ok> oks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Object> reply = redis.acceptAsync(i % (SIZE * SIZE), i % 7 + 1, "painter", Tool.BRUSH.wireName(),
          i % SIZE, i / SIZE % SIZE, new SharedRateLimit(0, 0, 0), true).get(2, TimeUnit.SECONDS);
      oks.add((RedisCanvas.Accepted.Ok) RedisCanvas.parseAccepted(reply));
    }
    return oks;
  }

  private static List<Long> loggedSeqs(PixelStore store) {
    List<Long> seqs = new ArrayList<>();
    store.replay(0, c -> seqs.add(c.seq()));
    return seqs;
  }

  @Test
  void sequencedPixelsAreStoredInOrderAndOnlyThenPassTheCommitMark() throws Exception {
    sequence(30);
    assertThat(redis.readStored(0, 100).entries()).as("nothing is shown before it is stored").isEmpty();

    PixelStore store = store();
    writer(store, "a").start();

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> redis.readStored(0, 100).stored() == 30);
    assertThat(loggedSeqs(store)).hasSize(30).isSorted().first().isEqualTo(1L);
    List<PixelChange> newest = store.history(HistoryQuery.newest(1));
    assertThat(newest.get(0).color()).isEqualTo(29 % 7 + 1);
    assertThat(redis.readStored(0, 100).entries()).hasSize(30);
  }

  @Test
  void aWriterSkipsWhatAWriterThatDiedBeforeRaisingTheMarkHadStored() throws Exception {
    List<RedisCanvas.Accepted.Ok> oks = sequence(10);
    // A writer stored seqs 1..6 and died before raising the mark.
    PixelStore dead = store();
    List<PixelChange> firstSix = new ArrayList<>();
    for (RedisCanvas.Accepted.Ok ok : oks.subList(0, 6)) {
      int i = (int) ok.seq() - 1;
      firstSix.add(new PixelChange(ok.seq(), i % SIZE, i / SIZE % SIZE, i % 7 + 1, ok.previousColor(), "painter",
          ok.timestampMillis(), Tool.BRUSH));
    }
    dead.append(firstSix);
    // The next writer's store was opened after that append, so it refuses seqs 1..6 as below its log.
    PixelStore next = store();
    writer(next, "b").start();

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> redis.readStored(0, 100).stored() == 10);
    assertThat(loggedSeqs(next)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
  }

  @Test
  void onlyOneInstanceWritesAtATimeAndAnotherTakesOverWhenItStops() throws Exception {
    PixelStore store = store();
    LogWriter first = writer(store, "first");
    LogWriter second = writer(store(), "second");
    first.start();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(first::isWriter);
    second.start();
    sequence(5);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> redis.readStored(0, 100).stored() == 5);
    assertThat(second.isWriter()).isFalse();

    first.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
    sequence(5);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> redis.readStored(0, 100).stored() == 10);
    assertThat(second.isWriter()).isTrue();
    assertThat(loggedSeqs(store)).hasSize(10).isSorted();
  }

  @Test
  void aSnapshotShowsTheCanvasAtTheCommitMarkNotAtTheLastSequencedPixel() throws Exception {
    sequence(3); // offsets 0, 1, 2 painted 1, 2, 3; nothing stored yet
    RedisCanvas.Snapshot before = redis.snapshot(SIZE);
    assertThat(before.seq()).isZero();
    assertThat(before.canvas()).containsOnly(0);

    writer(store(), "a").start();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> redis.snapshot(SIZE).seq() == 3);
    byte[] after = redis.snapshot(SIZE).canvas();
    assertThat(new byte[] {after[0], after[1], after[2], after[3]}).containsExactly(1, 2, 3, 0);
  }

  @Test
  void acceptingStopsOnceTooManyPixelsWaitForTheWriter() throws Exception {
    redis.close();
    redis = new RedisCanvas(new RedisSettings(true, "127.0.0.1", server.port(), null, false), Duration.ofSeconds(2),
        1_000, 4, new SimpleMeterRegistry());
    sequence(4);
    List<Object> fifth = redis.acceptAsync(10, 1, "painter", Tool.BRUSH.wireName(), 2, 1,
        new SharedRateLimit(0, 0, 0), true).get(2, TimeUnit.SECONDS);
    assertThat(RedisCanvas.parseAccepted(fifth)).isInstanceOf(RedisCanvas.Accepted.Backlog.class);
    assertThat(redis.seq()).as("a refused pixel takes no seq").isEqualTo(4);

    writer(store(), "a").start();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> redis.readStored(0, 100).stored() == 4);
    List<Object> again = redis.acceptAsync(10, 1, "painter", Tool.BRUSH.wireName(), 2, 1,
        new SharedRateLimit(0, 0, 0), true).get(2, TimeUnit.SECONDS);
    assertThat(RedisCanvas.parseAccepted(again)).isInstanceOf(RedisCanvas.Accepted.Ok.class);
  }
}
