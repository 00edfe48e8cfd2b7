package dev.pixels.canvas;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Applies server-made pixel changes (moderation repairs) through the same path as painted pixels:
 * sequenced, logged, committed and broadcast like any other.
 */
public interface CanvasEditor {

  /** A change to make: paint (x, y) with palette index {@code color}. */
  record Edit(int x, int y, int color) {}

  /** The seqs a set of edits received; empty ({@code fromSeq > toSeq}) if there were none. */
  record EditResult(int pixelsChanged, long fromSeq, long toSeq) {}

  /**
   * Applies {@code edits} in order as {@code userId} with {@code tool}, completing once they are
   * durable, or exceptionally if they could not be stored.
   */
  CompletableFuture<EditResult> apply(List<Edit> edits, String userId, Tool tool);
}
