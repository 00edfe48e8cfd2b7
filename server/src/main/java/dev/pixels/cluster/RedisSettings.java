package dev.pixels.cluster;

/**
 * How to reach the shared Redis; {@link #none()} runs the server as a single instance.
 *
 * @param password may be null; never printed (see {@link #toString()})
 */
public record RedisSettings(boolean enabled, String host, int port, String password, boolean tls) {

  public static RedisSettings none() {
    return new RedisSettings(false, "localhost", 6379, null, false);
  }

  @Override
  public String toString() {
    return enabled ? (tls ? "rediss://" : "redis://") + host + ":" + port + (password == null ? "" : " (with password)")
        : "no redis";
  }
}
