package dev.pixels.realtime;

import dev.pixels.canvas.Canvas;
import java.util.Arrays;

/**
 * The canvas as a batch being built would leave it, without writing the canvas: the colours the
 * batch so far has painted, over the canvas for every other pixel. It lets the writer compute a
 * batch's previous colours and a repair's conditions in batch order (a later change sees an earlier
 * one at the same pixel) before the batch is stored, while readers still see the canvas unchanged.
 *
 * <p>An open-addressing map from pixel offset to colour, sized once for the largest batch and
 * cleared per batch by forgetting the slots it used, so building a batch allocates nothing here.
 *
 * <p>Concurrency: confined to the batcher thread, which is also the only writer of the canvas.
 */
final class BatchColors {
  private static final int EMPTY = -1;

  private final Canvas canvas;
  private final int[] keys;
  private final int[] colors;
  private final int[] used;
  private final int mask;
  private final int capacity;
  private int size;

  /** A view over {@code canvas} for batches of at most {@code maxPixels} changes. */
  BatchColors(Canvas canvas, int maxPixels) {
    this.canvas = canvas;
    int slots = Integer.highestOneBit(Math.max(2, maxPixels) * 2 - 1) << 1; // a power of two, at least 2x
    this.keys = new int[slots];
    this.colors = new int[slots];
    this.used = new int[maxPixels];
    this.mask = slots - 1;
    this.capacity = maxPixels;
    Arrays.fill(keys, EMPTY);
  }

  /** The colour of ({@code x}, {@code y}) after the changes painted since the last {@link #clear}. */
  int get(int x, int y) {
    int slot = find(y * canvas.width() + x);
    return keys[slot] == EMPTY ? canvas.get(x, y) : colors[slot];
  }

  /** Records that the batch paints ({@code x}, {@code y}) with {@code color}. */
  void paint(int x, int y, int color) {
    int offset = y * canvas.width() + x;
    int slot = find(offset);
    if (keys[slot] == EMPTY) {
      if (size == capacity) {
        throw new IllegalStateException("a batch holds at most " + capacity + " changes");
      }
      keys[slot] = offset;
      used[size++] = slot;
    }
    colors[slot] = color;
  }

  /** Forgets the batch: every pixel reads from the canvas again. */
  void clear() {
    for (int i = 0; i < size; i++) {
      keys[used[i]] = EMPTY;
    }
    size = 0;
  }

  /** The slot holding {@code offset}, or the empty slot where it would go. */
  private int find(int offset) {
    int slot = mix(offset) & mask;
    while (keys[slot] != EMPTY && keys[slot] != offset) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /** Spreads neighbouring offsets (a stroke, a repaired region) over the table. */
  private static int mix(int offset) {
    int h = offset * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
