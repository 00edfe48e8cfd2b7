package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Region;
import dev.pixels.canvas.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link PixelStore} contract from its Javadoc, run against every implementation by a subclass
 * that says how to open (and reopen) one.
 */
public abstract class PixelStoreContract {
  protected PixelStore store;

  /** A new, empty store. */
  protected abstract PixelStore open();

  /** The same store as a new process would see it after {@code old} was closed. */
  protected abstract PixelStore reopen(PixelStore old);

  @BeforeEach
  void openStore() {
    store = open();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  static PixelChange pixel(long seq) {
    return new PixelChange(seq, (int) (seq % 37), (int) (seq % 41), (int) (seq % 32), (int) ((seq + 1) % 32),
        "user-" + seq % 3, 1_700_000_000_000L + seq, seq % 5 == 0 ? Tool.ERASER : Tool.BRUSH);
  }

  static List<PixelChange> pixels(long from, long to) {
    List<PixelChange> list = new ArrayList<>();
    for (long s = from; s <= to; s++) {
      list.add(pixel(s));
    }
    return list;
  }

  private List<PixelChange> replayed(long afterSeq) {
    List<PixelChange> out = new ArrayList<>();
    store.replay(afterSeq, out::add);
    return out;
  }

  @Test
  void aNewStoreHasNoLogAndNoCheckpoint() {
    assertThat(replayed(0)).isEmpty();
    assertThat(store.latestCheckpoint()).isEmpty();
  }

  @Test
  void replayYieldsEveryAppendedChangeInSeqOrderWithAllItsFields() {
    store.append(pixels(1, 3));
    store.append(pixels(4, 4));
    assertThat(replayed(0)).containsExactlyElementsOf(pixels(1, 4));
  }

  @Test
  void replayStartsAfterTheGivenSeq() {
    store.append(pixels(1, 10));
    assertThat(replayed(7)).containsExactlyElementsOf(pixels(8, 10));
    assertThat(replayed(10)).isEmpty();
  }

  @Test
  void aLargeBatchIsStoredWholeAndReplayedAcrossPartitionBoundaries() {
    store.append(pixels(1, 260));
    store.append(pixels(261, 330));
    assertThat(replayed(0)).containsExactlyElementsOf(pixels(1, 330));
    assertThat(replayed(199)).containsExactlyElementsOf(pixels(200, 330));
  }

  @Test
  void appendedChangesSurviveReopening() {
    store.append(pixels(1, 5));
    store = reopen(store);
    assertThat(replayed(0)).containsExactlyElementsOf(pixels(1, 5));
  }

  @Test
  void theLatestCheckpointHasTheHighestSeqAndTheExactBytes() {
    int width = 700;
    int height = 300; // not a multiple of any tile size
    byte[] first = randomBitmap(width, height, 1);
    byte[] second = randomBitmap(width, height, 2);
    store.saveCheckpoint(new Checkpoint(10, width, height, first));
    store.saveCheckpoint(new Checkpoint(20, width, height, second));
    store.saveCheckpoint(new Checkpoint(15, width, height, first));

    Checkpoint latest = store.latestCheckpoint().orElseThrow();
    assertThat(latest.seq()).isEqualTo(20);
    assertThat(latest.width()).isEqualTo(width);
    assertThat(latest.height()).isEqualTo(height);
    assertThat(Canvas.sha256Hex(latest.pixels())).isEqualTo(Canvas.sha256Hex(second));
  }

  @Test
  void aCheckpointSurvivesReopeningAndLaterOnesStoreOnlyTheirChanges() {
    byte[] bitmap = randomBitmap(300, 300, 3);
    store.saveCheckpoint(new Checkpoint(5, 300, 300, bitmap));
    byte[] changed = bitmap.clone();
    changed[299 * 300 + 299] = 7;
    changed[0] = 9;
    store.saveCheckpoint(new Checkpoint(6, 300, 300, changed));
    store = reopen(store);
    Checkpoint latest = store.latestCheckpoint().orElseThrow();
    assertThat(latest.seq()).isEqualTo(6);
    assertThat(Canvas.sha256Hex(latest.pixels())).isEqualTo(Canvas.sha256Hex(changed));
  }

  /** seq 1..n; user alternates a/b/c, x = seq % 10, y = seq / 10, ts = 1000 * seq. */
  private List<PixelChange> log(int n) {
    List<PixelChange> changes = new ArrayList<>();
    for (int seq = 1; seq <= n; seq++) {
      changes.add(new PixelChange(seq, seq % 10, seq / 10, seq % 32, (seq + 1) % 32, "user-" + "abc".charAt(seq % 3),
          1000L * seq, seq % 2 == 0 ? Tool.BRUSH : Tool.ERASER));
    }
    return changes;
  }

  private static List<Long> seqs(List<PixelChange> changes) {
    return changes.stream().map(PixelChange::seq).toList();
  }

  @Test
  void appendedBatchesReplayInSeqOrderAfterAnySeq() {
    List<PixelChange> all = log(30);
    store.append(all.subList(0, 10));
    store.append(all.subList(10, 30));
    List<PixelChange> replayed = new ArrayList<>();
    store.replay(12, replayed::add);
    assertThat(replayed).isEqualTo(all.subList(12, 30));
  }

  @Test
  void aBatchThatDoesNotFollowTheLogIsRefusedWhole() {
    store.append(log(5));
    assertThatThrownBy(() -> store.append(log(6).subList(3, 6))).isInstanceOf(StoreException.class);
    List<PixelChange> replayed = new ArrayList<>();
    store.replay(0, replayed::add);
    assertThat(seqs(replayed)).containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void logAfterPagesTheLogInSeqOrderAcrossPartitionBoundaries() {
    store.append(log(250));
    assertThat(store.logAfter(0, 7)).containsExactlyElementsOf(log(250).subList(0, 7));
    List<PixelChange> crossing = store.logAfter(95, 10);
    assertThat(seqs(crossing)).containsExactly(96L, 97L, 98L, 99L, 100L, 101L, 102L, 103L, 104L, 105L);
    assertThat(seqs(store.logAfter(240, 100))).containsExactly(241L, 242L, 243L, 244L, 245L, 246L, 247L, 248L,
        249L, 250L);
    assertThat(store.logAfter(250, 10)).isEmpty();
    List<PixelChange> all = new ArrayList<>();
    for (List<PixelChange> page = store.logAfter(0, 33); !page.isEmpty();
        page = store.logAfter(page.get(page.size() - 1).seq(), 33)) {
      all.addAll(page);
    }
    assertThat(all).containsExactlyElementsOf(log(250));
  }

  @Test
  void historyPagesTheWholeLogNewestFirstWithASeqCursor() {
    store.append(log(25));
    List<PixelChange> first = store.history(HistoryQuery.newest(10));
    assertThat(seqs(first)).containsExactly(25L, 24L, 23L, 22L, 21L, 20L, 19L, 18L, 17L, 16L);
    List<PixelChange> second = store.history(HistoryQuery.newest(10).before(16));
    assertThat(seqs(second)).startsWith(15L).hasSize(10);
    assertThat(seqs(store.history(HistoryQuery.newest(10).before(6)))).containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(store.history(HistoryQuery.newest(10).before(1))).isEmpty();
    assertThat(first.get(0)).isEqualTo(log(25).get(24));
  }

  @Test
  void historyByUserReturnsOnlyThatUsersChangesWithinTheTimeRange() {
    store.append(log(30));
    List<PixelChange> b = store.history(HistoryQuery.newest(100).withUser("user-b"));
    assertThat(seqs(b)).containsExactly(28L, 25L, 22L, 19L, 16L, 13L, 10L, 7L, 4L, 1L);
    List<PixelChange> bSince = store.history(HistoryQuery.newest(100).withUser("user-b").between(10_000, 22_000));
    assertThat(seqs(bSince)).containsExactly(22L, 19L, 16L, 13L, 10L);
  }

  @Test
  void historyByRegionAndTimeReturnsChangesInsideTheInclusiveRectangle() {
    store.append(log(40));
    // x in 2..3, y in 1..2: seqs 12, 13, 22, 23
    List<PixelChange> region = store.history(HistoryQuery.newest(100).withRegion(new Region(2, 1, 3, 2)));
    assertThat(seqs(region)).containsExactly(23L, 22L, 13L, 12L);
    assertThat(seqs(store.history(HistoryQuery.newest(100).withRegion(Region.pixel(3, 2)).between(0, 22_999))))
        .isEmpty();
    assertThat(seqs(store.history(HistoryQuery.newest(1).withRegion(new Region(2, 1, 3, 2)).between(13_000, 40_000))))
        .containsExactly(23L);
  }

  @Test
  void aHealthyStoreSaysSo() {
    assertThat(store.isHealthy()).isTrue();
  }

  static byte[] randomBitmap(int width, int height, long seed) {
    byte[] b = new byte[width * height];
    Random r = new Random(seed);
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) r.nextInt(32);
    }
    return b;
  }
}
