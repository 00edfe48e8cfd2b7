package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.PixelChange;
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
