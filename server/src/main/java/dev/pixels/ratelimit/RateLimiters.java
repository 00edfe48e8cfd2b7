package dev.pixels.ratelimit;

import java.util.function.LongSupplier;

/** Creates rate limiters; the implementations stay package-private behind {@link RateLimiter}. */
public final class RateLimiters {
  private RateLimiters() {}

  /**
   * An in-process limiter for {@code limit}, reading time from {@code nanoClock} (normally
   * {@link System#nanoTime}); {@link RateLimiter#unlimited()} if the limit has no enabled part.
   */
  public static RateLimiter inMemory(Limit limit, LongSupplier nanoClock) {
    return inMemory(limit, nanoClock, Refusals.NONE);
  }

  /** Like {@link #inMemory(Limit, LongSupplier)}, telling {@code refusals} which part refused. */
  public static RateLimiter inMemory(Limit limit, LongSupplier nanoClock, Refusals refusals) {
    return limit.isUnlimited() ? RateLimiter.unlimited() : new MemoryRateLimiter(limit, nanoClock, refusals);
  }

  /** Drops the state of keys that have been idle long enough to be indistinguishable from new. */
  public static void evictIdle(RateLimiter limiter) {
    if (limiter instanceof MemoryRateLimiter memory) {
      memory.evictIdle();
    }
  }
}
