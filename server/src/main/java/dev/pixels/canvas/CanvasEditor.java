package dev.pixels.canvas;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Applies server-made pixel changes (moderation repairs) through the same path as painted pixels:
 * sequenced, logged, committed and broadcast like any other.
 */
public interface CanvasEditor {

  /**
   * A change to make: paint (x, y) with palette index {@code color}, but only if the pixel still
   * holds {@code expectedColor} when the edit is applied ({@link #ANY}: unconditionally). The
   * condition lets a repair skip pixels that someone repainted after it looked.
   */
  record Edit(int x, int y, int color, int expectedColor) {
    public Edit(int x, int y, int color) {
      this(x, y, color, ANY);
    }
  }

  /** {@link Edit#expectedColor()} for an edit that applies whatever the pixel holds. */
  int ANY = -1;

  /**
   * The seqs a set of edits received; empty ({@code fromSeq > toSeq}) if there were none, e.g.
   * because every conditional edit was skipped.
   */
  record EditResult(int pixelsChanged, long fromSeq, long toSeq) {}

  /**
   * Applies {@code edits} in order as {@code userId} with {@code tool}, completing once they are
   * durable, or exceptionally if they could not be stored.
   */
  CompletableFuture<EditResult> apply(List<Edit> edits, String userId, Tool tool);
}
