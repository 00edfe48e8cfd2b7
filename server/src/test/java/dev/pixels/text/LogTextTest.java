package dev.pixels.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

  @Test
  void lineBreaksTabsAndOtherControlCharactersAreEscaped() {
    assertThat(LogText.escape("a\nb\rc\td")).isEqualTo("a\\nb\\rc\\td");
    assertThat(LogText.escape("nul\u0000 esc\u001b del\u007f c1\u0085\u009b")).isEqualTo(
        "nul\\u0000 esc\\u001b del\\u007f c1\\u0085\\u009b");
    assertThat(LogText.escape("ls\u2028ps\u2029")).isEqualTo("ls\\u2028ps\\u2029");
  }

  @Test
  void plainTextIsReturnedAsItIsAndNullStaysNull() {
    String plain = "anon-3f9a \"quoted\" é 字 \\n";
    assertThat(LogText.escape(plain)).isSameAs(plain);
    assertThat(LogText.escape(null)).isNull();
  }
}
