package dev.pixels.timelapse;

import dev.pixels.canvas.Region;
import java.io.IOException;

/**
 * Where the renderer's frames go: one encoder per output format.
 *
 * <p>Called from one thread only, in order: {@link #frame} once per frame, then {@link #finish}
 * once, or {@link #abort} instead if rendering stopped.
 */
interface FrameSink {

  /**
   * Adds a frame: the canvas as {@code pixels} (palette indices, row-major, {@code canvasWidth}
   * wide), of which only the request's region is shown. {@code changed} is the part of the region
   * that may differ from the previous frame (the whole region for the first frame), or null if
   * nothing changed; the sink must not keep {@code pixels}.
   */
  void frame(byte[] pixels, int canvasWidth, Region changed) throws IOException;

  /** Completes the file. */
  void finish() throws IOException;

  /** Stops without completing the file; the caller deletes it. Never throws. */
  void abort();
}
