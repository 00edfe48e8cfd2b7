package dev.pixels.realtime;

import dev.pixels.canvas.Tool;

/**
 * A validated pixel waiting for its batch: who sent it, where to answer, and what to paint.
 *
 * @param receivedNanos {@link System#nanoTime()} on arrival, for the accept-to-ack latency
 */
record PixelRequest(Session origin, String clientId, int x, int y, int color, Tool tool, long receivedNanos) {}
