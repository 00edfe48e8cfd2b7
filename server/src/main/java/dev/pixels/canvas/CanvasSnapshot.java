package dev.pixels.canvas;

/** An immutable copy of the canvas bitmap as it stood at {@code seq}. Never mutate {@code pixels}. */
public record CanvasSnapshot(long seq, int width, int height, byte[] pixels) {

  /** A copy of {@code canvas} as it stands; the caller keeps it from changing meanwhile. */
  public static CanvasSnapshot of(Canvas canvas) {
    return new CanvasSnapshot(canvas.seq(), canvas.width(), canvas.height(), canvas.copyPixels());
  }
}
