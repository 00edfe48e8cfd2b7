package dev.pixels.realtime;

import dev.pixels.ratelimit.ConnectionLimit;

/**
 * What one client may do to the socket layer: how many connections per IP, how many messages per
 * second per connection, and how many broken rules (oversized frames, floods, binary frames) before
 * it is closed with 1008. A rate of 0 disables that limit.
 */
public record SocketLimits(ConnectionLimit connections, int messagesPerSecond, int maxViolations,
    PaintLimits paintLimits) {

  /**
   * The per-user pixel limits, told to each client in {@code canvas:state} so that it can pace
   * itself; 0 means that limit is off. Enforcement is elsewhere ({@link PaintPolicy}).
   */
  public record PaintLimits(int perSecond, int burst, int perMinute) {}
}
