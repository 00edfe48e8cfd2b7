package dev.pixels.pixelinfo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.realtime.CommittedBatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The index's merge of history and live feed, and the bound on its user table. */
class PixelIndexTest {

  private static PixelChange change(long seq, int x, int y, int color, String user) {
    return new PixelChange(seq, x, y, color, 0, user, seq * 1000, Tool.BRUSH);
  }

  @Test
  void historyAndLiveChangesGiveTheSameIndexInWhateverOrderTheyArrive() {
    List<PixelChange> history = new ArrayList<>();
    for (long seq = 1; seq <= 200; seq++) {
      history.add(change(seq, (int) (seq % 3), 0, (int) (seq % 30), "u" + seq % 7));
    }
    PixelIndex inOrder = new PixelIndex(4, 1, 150);
    PixelIndex shuffled = new PixelIndex(4, 1, 150);
    history.forEach(inOrder::record);
    inOrder.accept(new CommittedBatch(history.subList(150, 200), "h", 0));
    shuffled.accept(new CommittedBatch(history.subList(150, 200), "h", 0));
    List<PixelChange> reversed = new ArrayList<>(history);
    Collections.reverse(reversed);
    reversed.forEach(shuffled::record);
    for (int x = 0; x < 4; x++) {
      assertThat(shuffled.lookup(x, 0)).isEqualTo(inOrder.lookup(x, 0));
    }
    assertThat(inOrder.lookup(2, 0).changes()).isEqualTo(67);
    assertThat(inOrder.lookup(2, 0).latest().seq()).isEqualTo(200);
    assertThat(inOrder.lookup(2, 0).latest().userId()).isEqualTo("u4");
    assertThat(inOrder.lookup(3, 0)).isEqualTo(new PixelIndex.Info(0, null));
  }

  @Test
  void theUserTableStaysBoundedHoweverManyUsersPaint() {
    PixelIndex index = new PixelIndex(2, 2, 0);
    for (long seq = 1; seq <= 300_000; seq++) {
      index.accept(new CommittedBatch(List.of(change(seq, (int) (seq % 2), (int) (seq / 2 % 2), 1, "user-" + seq)),
          "h", 0));
      assertThat(index.internedUsers()).isLessThanOrEqualTo(4 + 65_536);
    }
    assertThat(index.lookup(0, 0).latest().userId()).isEqualTo("user-300000");
    assertThat(index.lookup(1, 1).latest().userId()).isEqualTo("user-299999");
  }

  @Test
  void aChangeWithoutAKnownToolOrUserIsCountedAndDoesNotStopTheFeed() {
    PixelIndex index = new PixelIndex(3, 3, 0);
    index.accept(new CommittedBatch(List.of(new PixelChange(1, 1, 1, 4, 0, null, 5_000, null),
        change(2, 2, 2, 3, "u")), "h", 0));
    assertThat(index.lookup(1, 1)).isEqualTo(new PixelIndex.Info(1, new PixelIndex.Placement(1, 5_000, null, 4, null)));
    assertThat(index.lookup(2, 2).latest().userId()).isEqualTo("u");
  }
}
