package dev.pixels.history;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads an export body: gunzipped lines, header first. */
final class Csv {
  private Csv() {}

  static List<String> lines(byte[] gzip) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Paints the rows of {@code lines} onto {@code bitmap} in order. */
  static void replay(List<String> lines, byte[] bitmap, int width) {
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      bitmap[Integer.parseInt(f[3]) * width + Integer.parseInt(f[2])] = (byte) Integer.parseInt(f[4]);
    }
  }
}
