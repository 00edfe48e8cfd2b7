package dev.pixels.ratelimit;

/**
 * Counts attempts per key (a user id, an IP address) and says whether one more is allowed now.
 *
 * <p>The interface is deliberately one call: a shared implementation (Redis) can do the whole
 * check-and-take in one atomic script, so two servers never both spend the last permit.
 */
public interface RateLimiter {

  /**
   * Takes one permit for {@code key} if the limit allows it.
   *
   * @return 0 if the permit was taken; otherwise the milliseconds (at least 1) until a permit
   *     would next be granted, and nothing was taken
   */
  long tryAcquire(String key);

  /** A limiter that always allows; used for a limit configured as 0, so no check runs at all. */
  static RateLimiter unlimited() {
    return key -> 0;
  }
}
