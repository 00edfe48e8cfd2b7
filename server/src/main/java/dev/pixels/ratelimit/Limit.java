package dev.pixels.ratelimit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A rate limit: a token bucket of {@code burst} refilled at {@code perSecond}, and/or at most
 * {@code perMinute} in any rolling window of {@code windowNanos} (one minute unless made with
 * {@link #perWindow}). A request must pass every part that is enabled; a part with a 0 is disabled.
 */
public record Limit(int perSecond, int burst, int perMinute, long windowNanos) {
  static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

  public Limit {
    if (perSecond < 0 || burst < 0 || perMinute < 0 || windowNanos <= 0) {
      throw new IllegalArgumentException("limits are never negative: " + perSecond + "/" + burst + "/" + perMinute
          + " per " + windowNanos + " ns");
    }
  }

  /** A limit whose rolling window is one minute. */
  public Limit(int perSecond, int burst, int perMinute) {
    this(perSecond, burst, perMinute, WINDOW_NANOS);
  }

  /** Only a rolling window: at most {@code count} in any {@code window}. */
  public static Limit perWindow(int count, Duration window) {
    return new Limit(0, 0, count, window.toNanos());
  }

  /** Only a rolling-minute window. */
  public static Limit perMinute(int perMinute) {
    return new Limit(0, 0, perMinute);
  }

  /** Only a token bucket. */
  public static Limit bucket(int perSecond, int burst) {
    return new Limit(perSecond, burst, 0);
  }

  boolean hasBucket() {
    return perSecond > 0 && burst > 0;
  }

  boolean hasWindow() {
    return perMinute > 0;
  }

  /** True if no part is enabled. */
  public boolean isUnlimited() {
    return !hasBucket() && !hasWindow();
  }
}
