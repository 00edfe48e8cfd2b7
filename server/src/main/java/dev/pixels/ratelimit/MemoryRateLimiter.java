package dev.pixels.ratelimit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The in-process {@link RateLimiter}: a {@link TokenBucket} per key plus, for the rolling window, the times of the permits taken
 * in the last window.
 *
 * <p>Memory stays bounded by the keys active in the last window: a key whose bucket is full and
 * whose window is empty behaves exactly like a new one, so {@link #evictIdle()} (called
 * periodically) drops it. The window log grows only as far as a key actually uses it.
 *
 * <p>Concurrency: the map is concurrent; each key's state is guarded by its own monitor, so event
 * loops contend only when they touch the same key. An evicted state is marked dead under its
 * monitor, and a caller that finds a dead state retries with a fresh one, so no permit is lost.
 */
final class MemoryRateLimiter implements RateLimiter {
  private final Limit limit;
  private final LongSupplier nanoClock;
  private final Refusals refusals;
  private final ConcurrentHashMap<String, KeyState> states = new ConcurrentHashMap<>();

  MemoryRateLimiter(Limit limit, LongSupplier nanoClock, Refusals refusals) {
    this.limit = limit;
    this.nanoClock = nanoClock;
    this.refusals = refusals;
  }

  @Override
  public long tryAcquire(String key) {
    while (true) {
      KeyState state = states.computeIfAbsent(key, k -> new KeyState());
      synchronized (state) {
        if (!state.dead) {
          return state.tryAcquire(nanoClock.getAsLong());
        }
      }
    }
  }

  /** Number of keys with state; for tests of the memory bound. */
  int trackedKeys() {
    return states.size();
  }

  void evictIdle() {
    long now = nanoClock.getAsLong();
    states.forEach((key, state) -> {
      synchronized (state) {
        if (state.isIdle(now)) {
          state.dead = true;
          states.remove(key, state);
        }
      }
    });
  }

  /** One key's bucket and window. Guarded by its own monitor. */
  private final class KeyState {
    final TokenBucket bucket = limit.hasBucket() ? new TokenBucket(limit.perSecond(), limit.burst()) : null;
    /** Times of the permits taken in the last window, oldest first, as a ring. */
    long[] taken = new long[0];
    int head;
    int count;
    boolean dead;

    long tryAcquire(long now) {
      long waitNanos = bucket == null ? 0 : bucket.waitNanos(now);
      boolean windowFull = false;
      if (limit.hasWindow()) {
        dropOlderThan(now - limit.windowNanos());
        if (count >= limit.perMinute()) {
          windowFull = true;
          waitNanos = Math.max(waitNanos, oldest() + limit.windowNanos() - now);
        }
      }
      if (waitNanos > 0) {
        refusals.refused(windowFull ? Refusals.Part.WINDOW : Refusals.Part.BUCKET);
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
      }
      if (bucket != null) {
        bucket.take(now);
      }
      if (limit.hasWindow()) {
        push(now);
      }
      return 0;
    }

    boolean isIdle(long now) {
      boolean bucketFull = bucket == null || bucket.isFull(now);
      dropOlderThan(now - limit.windowNanos());
      return bucketFull && count == 0;
    }

    private long oldest() {
      return taken[head];
    }

    private void dropOlderThan(long cutoff) {
      while (count > 0 && taken[head] <= cutoff) {
        head = (head + 1) % taken.length;
        count--;
      }
    }

    private void push(long now) {
      if (count == taken.length) {
        long[] grown = new long[Math.min(limit.perMinute(), Math.max(4, taken.length * 2))];
        for (int i = 0; i < count; i++) {
          grown[i] = taken[(head + i) % taken.length];
        }
        taken = grown;
        head = 0;
      }
      taken[(head + count) % taken.length] = now;
      count++;
    }
  }
}
