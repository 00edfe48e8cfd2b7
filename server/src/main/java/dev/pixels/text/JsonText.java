package dev.pixels.text;

/**
 * Hand-written JSON string literals for the few server messages on the hot path (acks, rejects,
 * batches), where building a tree per pixel would cost more than the rest of the pixel's work, and
 * for the JSON log encoder.
 */
public final class JsonText {
  private JsonText() {}

  /** Appends {@code s} as a JSON string literal, or {@code null} if {@code s} is null. */
  public static StringBuilder appendQuoted(StringBuilder out, String s) {
    if (s == null) {
      return out.append("null");
    }
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c) && !validSurrogateAt(s, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  /** True if the surrogate at i is half of a well-formed pair; lone halves are escaped. */
  private static boolean validSurrogateAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  /** {@code s} as a JSON string literal. */
  public static String quote(String s) {
    return appendQuoted(new StringBuilder(s.length() + 2), s).toString();
  }
}
