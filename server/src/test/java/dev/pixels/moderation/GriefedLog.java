package dev.pixels.moderation;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.PixelStores;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A pixel log written straight into the embedded store before a server starts on it: one griefer
 * who painted every pixel of a {@code width} × {@code rows} rectangle at the top of the canvas.
 * Writing the log directly takes a fraction of a second where painting it would take minutes.
 */
record GriefedLog(String griefer, Instant since, int pixels) {
  static final int GRIEFER_COLOR = 5;

  /** Writes the griefer's {@code width × rows} pixels, painted a second after the returned {@code since}. */
  static GriefedLog write(Path dir, int width, int rows) {
    long grieferAt = System.currentTimeMillis() - 5_000;
    List<PixelChange> changes = new ArrayList<>(width * rows);
    long seq = 0;
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < width; x++) {
        changes.add(new PixelChange(++seq, x, y, GRIEFER_COLOR, 0, "user-griefer", grieferAt, Tool.BRUSH));
      }
    }
    try (PixelStore store = PixelStores.sqlite(dir)) {
      for (int start = 0; start < changes.size(); start += 50_000) {
        store.append(changes.subList(start, Math.min(changes.size(), start + 50_000)));
      }
    }
    return new GriefedLog("user-griefer", Instant.ofEpochMilli(grieferAt - 1_000), changes.size());
  }
}
