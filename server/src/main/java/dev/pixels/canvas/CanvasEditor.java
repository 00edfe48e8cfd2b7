package dev.pixels.canvas;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Applies server-made pixel changes (moderation repairs) through the same path as painted pixels:
 * sequenced, logged, committed and broadcast like any other. A large set of edits is applied a
 * bounded chunk at a time, each chunk sharing a batch with painters' pixels, so painters are not
 * held up while it runs.
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
   * How many edits were applied and the first and last seq they received; painters' pixels may
   * hold seqs in between. Empty ({@code fromSeq > toSeq}) if none was, e.g. because every
   * conditional edit was skipped.
   */
  record EditResult(int pixelsChanged, long fromSeq, long toSeq) {}

  /**
   * The failure of a set of edits part of which is already applied and durable: {@link #applied()}
   * says which, so that the caller can report it; repeating a rollback or rewind finishes it.
   */
  final class IncompleteEdit extends RuntimeException {
    private final transient EditResult applied;

    public IncompleteEdit(EditResult applied, int requested, Throwable cause) {
      super(applied.pixelsChanged() + " of " + requested + " pixels were applied"
          + (applied.pixelsChanged() > 0 ? " (seqs " + applied.fromSeq() + " to " + applied.toSeq() + ")" : "")
          + " before the repair stopped: " + cause.getMessage(), cause);
      this.applied = applied;
    }

    public EditResult applied() {
      return applied;
    }
  }

  /**
   * Applies {@code edits} in order as {@code userId} with {@code tool}, completing once the last of
   * them is durable; if one cannot be stored, completes exceptionally with an {@link
   * IncompleteEdit} that says what was applied before it.
   */
  CompletableFuture<EditResult> apply(List<Edit> edits, String userId, Tool tool);
}
