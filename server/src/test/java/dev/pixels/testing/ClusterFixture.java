package dev.pixels.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * The backends of a cluster test, one real redis-server and one dynalite, and the environment that
 * points a cluster instance with a square canvas at them.
 */
public final class ClusterFixture implements AutoCloseable {
  private final RedisServer redis;
  private final Dynalite dynalite;

  private ClusterFixture(RedisServer redis, Dynalite dynalite) {
    this.redis = redis;
    this.dynalite = dynalite;
  }

  /** Starts redis-server, then dynalite; stops redis-server again if dynalite cannot start. */
  public static ClusterFixture start() {
    RedisServer redis = RedisServer.start();
    try {
      return new ClusterFixture(redis, Dynalite.start());
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }
  }

  public RedisServer redis() {
    return redis;
  }

  public Dynalite dynalite() {
    return dynalite;
  }

  /** The environment of an instance using this fixture's Redis and the store tables of {@code tablePrefix}. */
  public Map<String, String> env(String tablePrefix, int canvasSize) {
    return env(dynalite, tablePrefix, redis.port(), canvasSize);
  }

  /**
   * The environment of a cluster instance: DynamoDB on {@code dynalite} with the tables of
   * {@code tablePrefix} (instances given the same prefix share one store), Redis on loopback at
   * {@code redisPort}, a {@code canvasSize} square canvas and a 2 s durability timeout. The map is mutable so that a test
   * can add or replace settings.
   */
  public static Map<String, String> env(Dynalite dynalite, String tablePrefix, int redisPort, int canvasSize) {
    Map<String, String> env = new HashMap<>(dynalite.env());
    env.put("DYNAMODB_TABLE_PREFIX", tablePrefix);
    env.put("REDIS_HOST", "127.0.0.1");
    env.put("REDIS_PORT", Integer.toString(redisPort));
    env.put("CANVAS_WIDTH", Integer.toString(canvasSize));
    env.put("CANVAS_HEIGHT", Integer.toString(canvasSize));
    // The first instance on a fresh Redis waits twice this before rebuilding the canvas; the
    // default 5 s would add 10 s to every test's start.
    env.put("DURABILITY_TIMEOUT_MS", "2000");
    return env;
  }

  @Override
  public void close() {
    redis.close();
    dynalite.close();
  }
}
