package dev.pixels.realtime;

import dev.pixels.ratelimit.TokenBucket;

/**
 * One connection's budget of messages and of broken rules.
 *
 * <p>Messages: a token bucket of one second's worth at {@code messagesPerSecond}, burst twice
 * that. Violations: a bucket of {@code maxViolations} that refills one per second, so a client
 * that slips now and then is never closed, but one that keeps breaking the rules is.
 *
 * <p>Loop-confined: owned by its {@link Session}.
 */
final class FrameGuard {
  private final TokenBucket messages; // null: unlimited
  private final TokenBucket violations;

  FrameGuard(int messagesPerSecond, int maxViolations) {
    this.messages = messagesPerSecond > 0 ? new TokenBucket(messagesPerSecond, messagesPerSecond * 2) : null;
    this.violations = new TokenBucket(1, maxViolations);
  }

  /** A guard that never limits the message rate; for admin connections. */
  static FrameGuard unmetered(int maxViolations) {
    return new FrameGuard(0, maxViolations);
  }

  /** True if one more message fits the rate at {@code now}. */
  boolean admit(long now) {
    return messages == null || messages.tryTake(now);
  }

  /** Records a broken rule; true if the client has now broken them too often and must go. */
  boolean violation(long now) {
    return !violations.tryTake(now);
  }
}
