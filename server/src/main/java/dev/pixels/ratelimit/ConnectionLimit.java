package dev.pixels.ratelimit;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the open connections per key (a client IP), so that reconnecting many times cannot
 * multiply a client's share of the server.
 *
 * <p>Concurrency: counts live in a concurrent map updated atomically per key with {@code compute};
 * a key whose count drops to zero is removed, so memory follows the connections actually open.
 */
public final class ConnectionLimit {
  private final int maxPerKey;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  /** {@code maxPerKey} of 0 means no limit (but connections are still counted). */
  public ConnectionLimit(int maxPerKey) {
    this.maxPerKey = maxPerKey;
  }

  /** Counts one more connection for {@code key}; false (and nothing counted) if at the limit. */
  public boolean tryOpen(String key) {
    boolean[] opened = {false};
    open.compute(key, (k, n) -> {
      int current = n == null ? 0 : n;
      if (maxPerKey > 0 && current >= maxPerKey) {
        return n;
      }
      opened[0] = true;
      return current + 1;
    });
    return opened[0];
  }

  /** Releases one connection of {@code key} counted by {@link #tryOpen}. */
  public void closed(String key) {
    open.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** Open connections of {@code key}. */
  public int openCount(String key) {
    return open.getOrDefault(key, 0);
  }

  public int maxPerKey() {
    return maxPerKey;
  }
}
