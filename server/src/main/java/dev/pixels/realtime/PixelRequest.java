package dev.pixels.realtime;

import dev.pixels.canvas.Tool;
import dev.pixels.identity.Identity;

/**
 * A validated pixel waiting to be sequenced and stored: who sent it, where to answer, and what to
 * paint.
 *
 * @param painter the server-side identity of the client that sent it
 * @param replyTo where its answer goes
 * @param clientId the client's own id for the pixel, echoed in the answer; may be null
 * @param receivedNanos {@link System#nanoTime()} on arrival, for the accept-to-ack latency
 */
public record PixelRequest(Identity painter, PixelReply replyTo, String clientId, int x, int y, int color, Tool tool,
    long receivedNanos) {

  /** The server-side identity of the painter. */
  public String userId() {
    return painter.userId();
  }
}
