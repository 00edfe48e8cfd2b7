package dev.pixels.storage;

import dev.pixels.canvas.Canvas;

/** Rebuilds the canvas at start-up from a store: the newest checkpoint, then the log after it. */
public final class CanvasRecovery {
  private CanvasRecovery() {}

  /**
   * Returns the canvas exactly as the last committed batch left it.
   *
   * @throws StoreException if the stored canvas has another size than configured, or the log has
   *     a gap; starting anyway would serve a canvas that disagrees with its own log
   */
  public static Canvas recover(PixelStore store, int width, int height) {
    Canvas canvas =
        store
            .latestCheckpoint()
            .map(cp -> {
              if (cp.width() != width || cp.height() != height) {
                throw new StoreException(
                    "the stored canvas is " + cp.width() + "x" + cp.height() + " but CANVAS_WIDTH/CANVAS_HEIGHT say "
                        + width + "x" + height + "; use the stored size or a fresh DATA_DIR");
              }
              return new Canvas(width, height, cp.pixels(), cp.seq());
            })
            .orElseGet(() -> new Canvas(width, height));
    store.replay(canvas.seq(), change -> {
      if (change.seq() != canvas.seq() + 1) {
        throw new StoreException("the pixel log jumps from seq " + canvas.seq() + " to " + change.seq());
      }
      if (!canvas.contains(change.x(), change.y())) {
        throw new StoreException(
            "logged pixel seq " + change.seq() + " at (" + change.x() + "," + change.y() + ") lies outside a "
                + width + "x" + height + " canvas; use the stored size or a fresh DATA_DIR");
      }
      canvas.apply(change);
    });
    return canvas;
  }

  /**
   * Checks that every pixel of a recovered canvas names a colour of a palette of {@code colours}.
   *
   * @throws StoreException naming the highest colour index in use, if the palette is smaller: a
   *     canvas painted with a longer {@code PALETTE} would be served with indices that name no colour
   */
  public static void requirePalette(Canvas canvas, int colours) {
    int highest = 0;
    for (byte pixel : canvas.copyPixels()) {
      highest = Math.max(highest, Byte.toUnsignedInt(pixel));
    }
    if (highest >= colours) {
      throw new StoreException("the stored canvas uses colour index " + highest + " but PALETTE has " + colours
          + " colours; start with the PALETTE it was painted with (extra colours may be added at the end), or a fresh DATA_DIR");
    }
  }
}
