package dev.pixels.canvas;

/** An inclusive rectangle of pixels, {@code (x1, y1)} to {@code (x2, y2)}, with x1 ≤ x2 and y1 ≤ y2. */
public record Region(int x1, int y1, int x2, int y2) {
  public Region {
    if (x1 > x2 || y1 > y2) {
      throw new IllegalArgumentException("a region needs x1 <= x2 and y1 <= y2");
    }
  }

  /** The single pixel (x, y). */
  public static Region pixel(int x, int y) {
    return new Region(x, y, x, y);
  }

  public boolean contains(int x, int y) {
    return x >= x1 && x <= x2 && y >= y1 && y <= y2;
  }

  /** True if the region lies entirely on a {@code width}×{@code height} canvas. */
  public boolean fitsIn(int width, int height) {
    return x1 >= 0 && y1 >= 0 && x2 < width && y2 < height;
  }
}
