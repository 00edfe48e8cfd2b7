package dev.pixels.text;

/**
 * Makes client-supplied text safe to log: a value that holds a line break could otherwise start a
 * forged record in a line-oriented log. Every value a client controls (close reasons, paths, user
 * ids, forwarded addresses) goes through {@link #escape} before it is logged.
 *
 * <p>In a package of its own, with {@link JsonText}, so that every package that logs client input
 * can use it whatever its place in the package layers.
 */
public final class LogText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private LogText() {}

  /**
   * {@code s} with every control character (C0, DEL, C1) and the Unicode line and paragraph
   * separators escaped: newline, carriage return and tab as backslash-n, -r and -t, the others as a
   * backslash, a {@code u} and four hex digits. Text without them is returned as is; null stays
   * null.
   */
  public static String escape(String s) {
    if (s == null) {
      return null;
    }
    int i = 0;
    while (i < s.length() && !needsEscape(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (needsEscape(c)) {
            out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }
}
