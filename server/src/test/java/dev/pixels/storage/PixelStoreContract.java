package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Region;
import dev.pixels.canvas.Tool;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link PixelStore} keeps; one subclass per implementation. */
abstract class PixelStoreContract {
  protected PixelStore store;

  protected abstract PixelStore newStore();

  @BeforeEach
  void open() {
    store = newStore();
  }

  @AfterEach
  void close() {
    store.close();
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
  void theNewestCheckpointWins() {
    assertThat(store.latestCheckpoint()).isEmpty();
    store.saveCheckpoint(new Checkpoint(3, 2, 2, new byte[] {1, 2, 3, 4}));
    store.saveCheckpoint(new Checkpoint(7, 2, 2, new byte[] {5, 6, 7, 8}));
    Checkpoint cp = store.latestCheckpoint().orElseThrow();
    assertThat(cp.seq()).isEqualTo(7);
    assertThat(cp.pixels()).containsExactly(5, 6, 7, 8);
    assertThat(store.isHealthy()).isTrue();
  }
}
