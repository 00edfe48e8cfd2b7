package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Region;
import dev.pixels.canvas.Tool;
import dev.pixels.testing.Dynalite;
import dev.pixels.testing.TcpProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * An append that DynamoDB takes only in part, against dynalite: the first 25-item request of the
 * batch is stored, the second is refused whole because one of its items is larger than DynamoDB's
 * 400 KB item limit. What the store promises then ({@link PixelStore#append}): the batch is not
 * committed, so no reader returns any of it, and the next append from the same seq either
 * completes it (a retry) or replaces it (the batcher reusing the seqs of the rejected batch).
 */
class DynamoDbPartialAppendTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final String PAINTER = "painter";
  private static final Region WHOLE_TILE = new Region(0, 0, 31, 31);

  private static Dynalite dynalite;
  private DynamoDbSettings settings;
  private PixelStore store;
  private DynamoDbClient raw;
  private final ExecutorService runner = Executors.newSingleThreadExecutor();

  @BeforeAll
  static void startDynalite() {
    dynalite = Dynalite.start();
  }

  @AfterAll
  static void stopDynalite() {
    dynalite.close();
  }

  @BeforeEach
  void openStore() {
    settings = dynalite.freshSettings();
    store = PixelStores.dynamodb(settings);
    raw = DynamoDbTables.client(settings);
  }

  @AfterEach
  void closeStore() {
    runner.shutdownNow();
    raw.close();
    store.close();
  }

  /** Pixels {@code from..to} by one painter inside one 32² tile, all stamped {@code time}. */
  private static List<PixelChange> batch(long from, long to, long time, int color) {
    List<PixelChange> list = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      list.add(new PixelChange(s, (int) (s % 32), (int) (s / 32 % 32), color, 0, PAINTER, time, Tool.BRUSH));
    }
    return list;
  }

  /** {@code batch} with the pixel at {@code seq} made too large for DynamoDB to store. */
  private static List<PixelChange> withOversizedItemAt(List<PixelChange> batch, long seq) {
    List<PixelChange> out = new ArrayList<>(batch);
    int i = (int) (seq - batch.get(0).seq());
    PixelChange c = out.get(i);
    out.set(i, new PixelChange(c.seq(), c.x(), c.y(), c.color(), c.previousColor(), "x".repeat(410 * 1024),
        c.timestampMillis(), c.tool()));
    return out;
  }

  private List<Long> replayedSeqs() {
    List<Long> seqs = new ArrayList<>();
    store.replay(0, c -> seqs.add(c.seq()));
    return seqs;
  }

  private static List<Long> seqs(List<PixelChange> changes) {
    return changes.stream().map(PixelChange::seq).toList();
  }

  private static List<Long> descending(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long s = to; s >= from; s--) {
      out.add(s);
    }
    return out;
  }

  private List<Long> storedLogSeqs() {
    List<Long> seqs = new ArrayList<>();
    raw.scanPaginator(b -> b.tableName(settings.tablePrefix() + "log"))
        .items().forEach(item -> seqs.add(Long.parseLong(item.get("seq").n())));
    seqs.sort(null);
    return seqs;
  }

  /** Asserts that every reader returns exactly the committed seqs {@code 1..last}. */
  private void assertCommittedAreExactly(long last) {
    List<Long> ascending = descending(1, last).reversed();
    assertThat(replayedSeqs()).as("replay").isEqualTo(ascending);
    assertThat(seqs(store.history(HistoryQuery.newest(1000)))).as("history, whole log").isEqualTo(descending(1, last));
    assertThat(seqs(store.history(HistoryQuery.newest(1000).withUser(PAINTER)))).as("history by user")
        .isEqualTo(descending(1, last));
    assertThat(seqs(store.history(HistoryQuery.newest(1000).withRegion(WHOLE_TILE).between(T0, T0 + 60_000))))
        .as("history by region and time").isEqualTo(descending(1, last));
    assertThat(seqs(store.history(HistoryQuery.newest(1000).between(T0, T0 + 60_000)))).as("history by time")
        .isEqualTo(descending(1, last));
  }

  @Test
  void aBatchDynamoDbStoredOnlyInPartIsNotReturnedByAnyReader() {
    store.append(batch(1, 10, T0, 1));

    assertThatThrownBy(() -> store.append(withOversizedItemAt(batch(11, 70, T0 + 1_000, 2), 60)))
        .isInstanceOf(StoreException.class);

    assertThat(storedLogSeqs()).as("the first 25-item request of the failed batch was stored")
        .containsAll(descending(11, 35));
    assertCommittedAreExactly(10);
    PixelStore reopened = PixelStores.dynamodb(settings);
    try {
      List<Long> replayed = new ArrayList<>();
      reopened.replay(0, c -> replayed.add(c.seq()));
      assertThat(replayed).as("replay after a restart").isEqualTo(descending(1, 10).reversed());
    } finally {
      reopened.close();
    }
  }

  @Test
  void aShorterBatchThatReusesTheSeqsOfAFailedOneHidesWhatTheFailedOneLeftBehind() {
    store.append(batch(1, 10, T0, 1));
    assertThatThrownBy(() -> store.append(withOversizedItemAt(batch(11, 70, T0 + 1_000, 2), 60)))
        .isInstanceOf(StoreException.class);

    // The batcher keeps its seq after a failure: the next batch starts at 11 again, later in time.
    store.append(batch(11, 20, T0 + 2_000, 3));

    assertThat(storedLogSeqs()).as("items 21..35 of the failed batch are still stored").containsAll(descending(21, 35));
    assertCommittedAreExactly(20);
    List<PixelChange> replayed = new ArrayList<>();
    store.replay(10, replayed::add);
    assertThat(replayed).isEqualTo(batch(11, 20, T0 + 2_000, 3));
  }

  @Test
  void repeatingAFailedBatchCompletesItAndCommitsAllOfIt() {
    store.append(batch(1, 10, T0, 1));
    assertThatThrownBy(() -> store.append(withOversizedItemAt(batch(11, 70, T0 + 1_000, 2), 60)))
        .isInstanceOf(StoreException.class);

    store.append(batch(11, 70, T0 + 1_000, 2));

    assertCommittedAreExactly(70);
    List<PixelChange> replayed = new ArrayList<>();
    store.replay(10, replayed::add);
    assertThat(replayed).isEqualTo(batch(11, 70, T0 + 1_000, 2));
    assertThat(storedLogSeqs()).isEqualTo(descending(1, 70).reversed());
    assertThat(store.isHealthy()).isTrue();
  }

  @Test
  void aBatchCutOffByALostConnectionIsNotReturnedAndRepeatingItAfterARestartCommitsIt() throws Exception {
    store.append(batch(1, 10, T0, 1));
    List<PixelChange> big = new ArrayList<>();
    for (long s = 11; s <= 20_010; s++) {
      big.add(new PixelChange(s, (int) (s % 32), (int) (s / 32 % 32), 2, 0, PAINTER, T0 + 1_000, Tool.BRUSH));
    }
    try (TcpProxy proxy = new TcpProxy(dynalite.port())) {
      DynamoDbSettings viaProxy = new DynamoDbSettings(true, URI.create("http://127.0.0.1:" + proxy.port()),
          settings.tablePrefix(), Duration.ofSeconds(5));
      PixelStore cutOff = PixelStores.dynamodb(viaProxy);
      try {
        CompletableFuture<Void> append = CompletableFuture.runAsync(() -> cutOff.append(big), runner);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (storedLogSeqs().size() <= 10 + 25 && System.nanoTime() < deadline) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        proxy.cut();
        assertThatThrownBy(() -> append.get(30, TimeUnit.SECONDS)).as("the append lost its connection midway")
            .hasCauseInstanceOf(StoreException.class);
      } finally {
        cutOff.close();
      }
    }
    assertThat(storedLogSeqs().size()).as("part of the batch was stored").isBetween(10 + 25, 10 + 20_000 - 1);
    assertCommittedAreExactly(10);

    PixelStore restarted = PixelStores.dynamodb(settings);
    try {
      restarted.append(big);
    } finally {
      restarted.close();
    }
    List<PixelChange> replayed = new ArrayList<>();
    store.replay(10, replayed::add);
    assertThat(replayed).isEqualTo(big);
  }
}
