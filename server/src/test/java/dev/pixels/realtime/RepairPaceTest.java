package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RepairPaceTest {
  private static final long BUDGET = 25_000_000;

  @Test
  void aRepairStartsAtTheLargestChunk() {
    assertThat(new RepairPace(250, 4_000, BUDGET).chunk()).isEqualTo(4_000);
  }

  @Test
  void aBatchOverTheBudgetHalvesTheNextChunkButNeverBelowTheMinimum() {
    RepairPace pace = new RepairPace(250, 4_000, BUDGET);
    pace.committed(4_000, BUDGET + 1);
    assertThat(pace.chunk()).isEqualTo(2_000);
    for (int i = 0; i < 10; i++) {
      pace.committed(pace.chunk(), 10 * BUDGET);
    }
    assertThat(pace.chunk()).isEqualTo(250);
  }

  @Test
  void fullChunksWithinTheBudgetGrowBackByAnEighthOfTheMaximumUpToIt() {
    RepairPace pace = new RepairPace(250, 4_000, BUDGET);
    pace.committed(4_000, 2 * BUDGET);
    pace.committed(2_000, 2 * BUDGET);
    assertThat(pace.chunk()).isEqualTo(1_000);
    pace.committed(1_000, BUDGET);
    assertThat(pace.chunk()).isEqualTo(1_500);
    for (int i = 0; i < 10; i++) {
      pace.committed(pace.chunk(), BUDGET / 2);
    }
    assertThat(pace.chunk()).isEqualTo(4_000);
  }

  @Test
  void aChunkThatWasNotFullSaysNothingAboutALargerOne() {
    RepairPace pace = new RepairPace(250, 4_000, BUDGET);
    pace.committed(4_000, 2 * BUDGET);
    pace.committed(300, 1);
    assertThat(pace.chunk()).isEqualTo(2_000);
  }

  @Test
  void impossibleBoundsAreRefused() {
    assertThatThrownBy(() -> new RepairPace(0, 10, BUDGET)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RepairPace(20, 10, BUDGET)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RepairPace(1, 10, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
