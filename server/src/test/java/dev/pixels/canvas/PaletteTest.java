package dev.pixels.canvas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import org.junit.jupiter.api.Test;

class PaletteTest {

  @Test
  void theDefaultPaletteHas32ColoursWithWhiteBackgroundBlackAndRed() {
    Palette palette = Palette.defaultPalette();
    assertThat(palette.size()).isEqualTo(32);
    assertThat(palette.color(0)).isEqualTo("#FFFFFF");
    assertThat(palette.indexOf("#000000")).isNotNegative();
    assertThat(palette.indexOf("#FF0000")).isNotNegative();
    assertThat(palette.colors()).doesNotHaveDuplicates();
  }

  @Test
  void lookupsIgnoreCase() {
    Palette palette = Palette.defaultPalette();
    assertThat(palette.indexOf("#ff0000")).isEqualTo(palette.indexOf("#FF0000"));
  }

  @Test
  void unknownOrBadlyFormedColoursAreNotFound() {
    Palette palette = Palette.defaultPalette();
    assertThat(palette.indexOf("#123456")).isEqualTo(-1);
    assertThat(palette.indexOf("red")).isEqualTo(-1);
    assertThat(palette.indexOf("#FF00001")).isEqualTo(-1);
    assertThat(palette.indexOf("FF0000")).isEqualTo(-1);
    assertThat(palette.indexOf(null)).isEqualTo(-1);
  }

  @Test
  void aCustomPaletteKeepsItsOrderAndNormalisesCase() {
    Palette palette = Palette.parse("#000000, #abcdef");
    assertThat(palette.colors()).containsExactly("#000000", "#ABCDEF");
    assertThat(palette.rgb(1)).isEqualTo(0xABCDEF);
  }

  @Test
  void aCustomPaletteRejectsBadEntriesDuplicatesAndMoreThan256Colours() {
    assertThatThrownBy(() -> Palette.parse("#000000,blue")).hasMessageContaining("'blue'");
    assertThatThrownBy(() -> Palette.parse("#000000,#000000")).hasMessageContaining("twice");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 257; i++) {
      many.append(i == 0 ? "" : ",").append(String.format("#%06X", i));
    }
    assertThatThrownBy(() -> Palette.parse(many.toString())).hasMessageContaining("at most 256");
    assertThat(Palette.parse(String.join(",", Collections.nCopies(1, "#010203"))).size()).isEqualTo(1);
  }
}
