package dev.pixels.moderation;

import java.time.Instant;
import java.util.List;

/**
 * The active locks as one bit per pixel, so that "is (x, y) locked?" is a single array read
 * whatever the number of locks. Built once per change of the lock set (rare), then immutable.
 *
 * <p>A lock can expire between rebuilds; a set bit is therefore trusted only before the earliest
 * expiry among the locks. After it, the few pixels with a set bit are checked against the lock
 * list until the sweeper rebuilds the grid, so an expired lock never blocks a pixel.
 *
 * <p>Immutable and thread-safe; shared through a volatile field.
 */
final class LockGrid {
  private final int width;
  private final long[] bits;
  private final List<Lock> locks;
  private final long trustedUntilMillis;

  private LockGrid(int width, long[] bits, List<Lock> locks, long trustedUntilMillis) {
    this.width = width;
    this.bits = bits;
    this.locks = locks;
    this.trustedUntilMillis = trustedUntilMillis;
  }

  static LockGrid empty(int width, int height) {
    return new LockGrid(width, new long[0], List.of(), Long.MAX_VALUE);
  }

  static LockGrid of(List<Lock> locks, int width, int height) {
    if (locks.isEmpty()) {
      return empty(width, height);
    }
    long[] bits = new long[(int) (((long) width * height + 63) / 64)];
    long trustedUntil = Long.MAX_VALUE;
    for (Lock lock : locks) {
      for (int y = Math.max(0, lock.region().y1()); y <= Math.min(height - 1, lock.region().y2()); y++) {
        int from = y * width + Math.max(0, lock.region().x1());
        int to = y * width + Math.min(width - 1, lock.region().x2());
        for (int i = from; i <= to; i++) {
          bits[i >>> 6] |= 1L << i;
        }
      }
      if (lock.expiresAt() != null) {
        trustedUntil = Math.min(trustedUntil, lock.expiresAt().toEpochMilli());
      }
    }
    return new LockGrid(width, bits, List.copyOf(locks), trustedUntil);
  }

  /** True if an active lock covers (x, y) at {@code nowMillis}; (x, y) must be on the canvas. */
  boolean isLocked(int x, int y, long nowMillis) {
    if (bits.length == 0) {
      return false;
    }
    int i = y * width + x;
    if ((bits[i >>> 6] & (1L << i)) == 0) {
      return false;
    }
    if (nowMillis < trustedUntilMillis) {
      return true;
    }
    Instant now = Instant.ofEpochMilli(nowMillis);
    for (Lock lock : locks) {
      if (lock.region().contains(x, y) && lock.activeAt(now)) {
        return true;
      }
    }
    return false;
  }

  List<Lock> locks() {
    return locks;
  }
}
