package dev.pixels.realtime;

import dev.pixels.canvas.Tool;

/**
 * A validated pixel waiting to be sequenced and stored: who sent it, where to answer, and what to
 * paint.
 *
 * @param clientId the client's own id for the pixel, echoed in the answer; may be null
 * @param receivedNanos {@link System#nanoTime()} on arrival, for the accept-to-ack latency
 */
public record PixelRequest(Session origin, String clientId, int x, int y, int color, Tool tool, long receivedNanos) {

  /** The server-side identity of the painter. */
  public String userId() {
    return origin.identity().userId();
  }
}
