package dev.pixels.canvas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CanvasTest {

  @Test
  void aNewCanvasIsAllBackgroundAtSeqZero() {
    Canvas canvas = new Canvas(3, 2);
    assertThat(canvas.seq()).isZero();
    assertThat(canvas.copyPixels()).containsOnly(0).hasSize(6);
  }

  @Test
  void settingAPixelReturnsItsPreviousColourAndStoresRowMajor() {
    Canvas canvas = new Canvas(3, 2);
    assertThat(canvas.set(2, 1, 7)).isZero();
    assertThat(canvas.set(2, 1, 9)).isEqualTo(7);
    assertThat(canvas.copyPixels()[1 * 3 + 2]).isEqualTo((byte) 9);
  }

  @Test
  void paletteIndicesAbove127SurviveTheByteRoundTrip() {
    Canvas canvas = new Canvas(1, 1);
    canvas.set(0, 0, 255);
    assertThat(canvas.get(0, 0)).isEqualTo(255);
  }

  @Test
  void applyingAChangeSetsThePixelAndTheSeq() {
    Canvas canvas = new Canvas(2, 2);
    PixelChange change = new PixelChange(1, 1, 1, 4, 0, "u", 0, Tool.BRUSH);
    String before = canvas.sha256Hex();
    canvas.apply(change);
    assertThat(canvas.seq()).isEqualTo(1);
    assertThat(canvas.get(1, 1)).isEqualTo(4);
    assertThat(canvas.sha256Hex()).isNotEqualTo(before);
  }

  @Test
  void theHashIsTheSha256OfTheBitmapBytes() {
    // SHA-256 of 4 zero bytes, computed independently.
    assertThat(new Canvas(2, 2).sha256Hex())
        .isEqualTo("df3f619804a92fdb4057192dc43dd748ea778adc52bc498ce80524c014b81119");
  }

  @Test
  void containsRejectsNegativeAndOutOfRangeCoordinates() {
    Canvas canvas = new Canvas(900, 900);
    assertThat(canvas.contains(0, 0)).isTrue();
    assertThat(canvas.contains(899, 899)).isTrue();
    assertThat(canvas.contains(900, 0)).isFalse();
    assertThat(canvas.contains(-1, 5)).isFalse();
    assertThat(canvas.contains(5, Long.MAX_VALUE)).isFalse();
  }

  @Test
  void aBitmapOfTheWrongSizeIsRefused() {
    assertThatThrownBy(() -> new Canvas(3, 3, new byte[8], 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
