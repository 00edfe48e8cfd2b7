package dev.pixels.realtime;

import dev.pixels.canvas.Tool;

/** A frame from a client, parsed and validated by {@link MessageParser}. */
sealed interface ClientMessage {

  /** A valid {@code pixel:update}: in bounds, with a palette colour. */
  record Paint(String id, int x, int y, int color, Tool tool) implements ClientMessage {}

  /**
   * A {@code pixel:update} that cannot be painted. {@code x} and {@code y} are echoed in the reject
   * as the client sent them, when they were numbers; otherwise they are null JSON literals.
   */
  record InvalidPaint(String id, String xJson, String yJson, RejectReason reason, String message)
      implements ClientMessage {}

  /** A {@code heartbeat}; answered in kind. */
  record Heartbeat() implements ClientMessage {}

  /** {@code pixel:stroke:start} or {@code pixel:stroke:end}: accepted and ignored. */
  record StrokeMarker() implements ClientMessage {}

  /** Not JSON, not an object, or no known {@code type}: answered with an {@code error} frame. */
  record Malformed(String message) implements ClientMessage {}
}
