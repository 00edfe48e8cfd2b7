package dev.pixels.cluster;

import dev.pixels.canvas.Canvas;
import dev.pixels.testing.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;

/**
 * Empties a test's Redis and installs in it the shared canvas that a rebuild from an empty store
 * installs (blank, seq 0, everything stored), through the same script. Instances started on it
 * find a canvas and skip the rebuild, whose grace period would otherwise add twice the durability
 * timeout to every test that starts a cluster on a fresh store.
 */
public final class EmptySharedCanvas {
  private EmptySharedCanvas() {}

  public static void install(RedisServer redis, int width, int height) {
    redis.command("FLUSHALL");
    try (RedisCanvas canvas = new RedisCanvas(new RedisSettings(true, "127.0.0.1", redis.port(), null, false),
        Duration.ofSeconds(5), 1_000, new SimpleMeterRegistry())) {
      canvas.loadScripts();
      if (!canvas.install(new Canvas(width, height).copyPixels(), 0, UUID.randomUUID().toString())) {
        throw new IllegalStateException("redis already held a canvas right after FLUSHALL");
      }
    }
  }
}
