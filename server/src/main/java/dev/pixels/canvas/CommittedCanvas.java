package dev.pixels.canvas;

/**
 * Read access to the canvas as far as it is durable: nothing a crash could take back is visible
 * through it. Implementations are safe to call from any thread.
 */
public interface CommittedCanvas {

  /** The seq of the newest durable change. */
  long seq();

  /** A consistent copy of the durable canvas; costs one bitmap copy. */
  CanvasSnapshot snapshot();
}
