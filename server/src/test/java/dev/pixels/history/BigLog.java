package dev.pixels.history;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.storage.Checkpoint;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.PixelStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Writes a large pixel log into a fresh SQLite data directory, as a server would have. */
final class BigLog {
  static final int SIDE = 900;

  private BigLog() {}

  /**
   * Appends {@code rows} random placements by {@code users} users, one per millisecond ending about
   * an hour ago, and returns the canvas they paint.
   */
  static byte[] write(Path dataDir, int rows, int users) {
    return write(dataDir, rows, users, SIDE);
  }

  /**
   * As {@link #write(Path, int, int)} on a canvas {@code side} pixels square, with a checkpoint at
   * the end so that a server starting on it replays nothing.
   */
  static byte[] write(Path dataDir, int rows, int users, int side) {
    Random random = new Random(42);
    byte[] canvas = new byte[side * side];
    long start = System.currentTimeMillis() - 3_600_000L - rows;
    try (PixelStore store = PixelStores.sqlite(dataDir)) {
      List<PixelChange> batch = new ArrayList<>(10_000);
      for (int seq = 1; seq <= rows; seq++) {
        int x = random.nextInt(side);
        int y = random.nextInt(side);
        int color = random.nextInt(16);
        int i = y * side + x;
        batch.add(new PixelChange(seq, x, y, color, canvas[i], "user-" + random.nextInt(users), start + seq,
            Tool.BRUSH));
        canvas[i] = (byte) color;
        if (batch.size() == 10_000) {
          store.append(batch);
          batch.clear();
        }
      }
      if (!batch.isEmpty()) {
        store.append(batch);
      }
      store.saveCheckpoint(new Checkpoint(rows, side, side, canvas.clone()));
    }
    return canvas;
  }
}
