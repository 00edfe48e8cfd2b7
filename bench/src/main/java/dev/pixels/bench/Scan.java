package dev.pixels.bench;

import java.nio.charset.StandardCharsets;

/**
 * Allocation-free scanning of the server's JSON frames, on raw bytes.
 *
 * <p>The generator shares two cores with the server, so it never builds a JSON tree for a
 * broadcast frame: it finds the few keys it needs ({@code "type"}, {@code "fromSeq"},
 * {@code "toSeq"}, and {@code "x"}/{@code "y"} of each pixel) and parses the numbers in place.
 * Keys are matched with their quotes, so a key can't match inside a string value of this protocol
 * (colours, hashes, ids and timestamps hold no quotes).
 */
final class Scan {
  private Scan() {}

  static byte[] key(String k) {
    return ('"' + k + '"').getBytes(StandardCharsets.US_ASCII);
  }

  /** First index of {@code pat} in {@code b[from, to)}, or -1. */
  static int indexOf(byte[] b, int from, int to, byte[] pat) {
    byte first = pat[0];
    int last = to - pat.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (b[i] != first) {
        continue;
      }
      for (int j = 1; j < pat.length; j++) {
        if (b[i + j] != pat[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Last index of {@code pat} in {@code b[from, to)}, or -1. */
  static int lastIndexOf(byte[] b, int from, int to, byte[] pat) {
    byte first = pat[0];
    outer:
    for (int i = to - pat.length; i >= from; i--) {
      if (b[i] != first) {
        continue;
      }
      for (int j = 1; j < pat.length; j++) {
        if (b[i + j] != pat[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static int indexOf(byte[] b, int from, int to, byte c) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /** Index just after the ':' that follows a key ending before {@code i}, skipping blanks. */
  static int afterColon(byte[] b, int i, int to) {
    while (i < to && (b[i] == ' ' || b[i] == ':' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
      i++;
    }
    return i;
  }

  /** Parses a (possibly quoted) decimal integer at {@code i}; Long.MIN_VALUE if none. */
  static long parseLong(byte[] b, int i, int to) {
    if (i < to && b[i] == '"') {
      i++;
    }
    boolean neg = false;
    if (i < to && b[i] == '-') {
      neg = true;
      i++;
    }
    long v = 0;
    int start = i;
    while (i < to) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        break;
      }
      v = v * 10 + d;
      i++;
    }
    if (i == start) {
      return Long.MIN_VALUE;
    }
    return neg ? -v : v;
  }

  /** Value of the numeric key found first in {@code [from,to)}; Long.MIN_VALUE if absent. */
  static long longField(byte[] b, int from, int to, byte[] key) {
    int k = indexOf(b, from, to, key);
    if (k < 0) {
      return Long.MIN_VALUE;
    }
    return parseLong(b, afterColon(b, k + key.length, to), to);
  }

  /** Value of the numeric key found last in {@code [from,to)}; Long.MIN_VALUE if absent. */
  static long lastLongField(byte[] b, int from, int to, byte[] key) {
    int k = lastIndexOf(b, from, to, key);
    if (k < 0) {
      return Long.MIN_VALUE;
    }
    return parseLong(b, afterColon(b, k + key.length, to), to);
  }

  /** The string value of a key (no escapes expected), or null. */
  static String stringField(byte[] b, int from, int to, byte[] key) {
    int k = indexOf(b, from, to, key);
    if (k < 0) {
      return null;
    }
    int i = afterColon(b, k + key.length, to);
    if (i >= to || b[i] != '"') {
      return null;
    }
    int end = indexOf(b, i + 1, to, (byte) '"');
    if (end < 0) {
      return null;
    }
    return new String(b, i + 1, end - i - 1, StandardCharsets.UTF_8);
  }

  /** True if the string value of key starts at {@code i}... used to compare the frame type. */
  static boolean regionEquals(byte[] b, int i, int to, byte[] lit) {
    if (i + lit.length > to) {
      return false;
    }
    for (int j = 0; j < lit.length; j++) {
      if (b[i + j] != lit[j]) {
        return false;
      }
    }
    return true;
  }
}
