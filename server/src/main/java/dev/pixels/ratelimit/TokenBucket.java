package dev.pixels.ratelimit;

import java.util.concurrent.TimeUnit;

/**
 * One token bucket in GCRA form: instead of a token count refilled by a timer, it keeps the
 * "theoretical arrival time" at which the bucket would be full again. A take is allowed while that
 * time is at most {@code burst - 1} intervals ahead of now. Integer nanoseconds, no drift, one long
 * of state: the same arithmetic fits a Redis script.
 *
 * <p>Not thread-safe: each bucket has one owner (a limiter key under its monitor, or a session on
 * its event loop).
 */
public final class TokenBucket {
  private final long intervalNanos;
  private final long toleranceNanos;
  private long fullAt = Long.MIN_VALUE;

  /** A bucket of {@code burst} tokens refilled at {@code perSecond}; both must be positive. */
  public TokenBucket(int perSecond, int burst) {
    if (perSecond <= 0 || burst <= 0) {
      throw new IllegalArgumentException("a token bucket needs a positive rate and burst");
    }
    this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
    this.toleranceNanos = intervalNanos * (burst - 1L);
  }

  /** Nanoseconds until a token is available at {@code now}; 0 if one is available now. Takes nothing. */
  public long waitNanos(long now) {
    long ahead = start(now) - now;
    return ahead > toleranceNanos ? ahead - toleranceNanos : 0;
  }

  /** Takes a token at {@code now}; call only after {@link #waitNanos} returned 0. */
  public void take(long now) {
    fullAt = start(now) + intervalNanos;
  }

  /** Takes a token if one is available; true if it did. */
  public boolean tryTake(long now) {
    if (waitNanos(now) > 0) {
      return false;
    }
    take(now);
    return true;
  }

  /** True if the bucket is full at {@code now}: then it behaves exactly like a new one. */
  public boolean isFull(long now) {
    return fullAt == Long.MIN_VALUE || fullAt <= now;
  }

  private long start(long now) {
    return fullAt == Long.MIN_VALUE || fullAt < now ? now : fullAt;
  }
}
