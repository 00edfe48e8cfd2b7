package dev.pixels.chaos;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The fault injector: a seeded random sequence of process faults on the instances, Redis and
 * dynalite, one at a time, with a calm gap between two faults. The same seed gives the same
 * sequence of kinds, targets and durations.
 */
final class Nemesis {
  static final List<String> KINDS = List.of("instance-kill9", "instance-stop", "redis-restart", "redis-flushall",
      "redis-stop", "dynalite-kill9", "dynalite-stop");

  private final Cluster cluster;
  private final History history;
  private final Random random;
  private final LongSupplier clock;

  Nemesis(Cluster cluster, History history, long seed, LongSupplier clock) {
    this.cluster = cluster;
    this.history = history;
    this.random = new Random(seed);
    this.clock = clock;
  }

  /** Injects faults until {@code untilMillis} on the clock; each fault is healed before the next starts. */
  void run(long untilMillis) throws InterruptedException, IOException {
    while (clock.getAsLong() < untilMillis) {
      long calm = 3000 + random.nextInt(4000);
      Thread.sleep(calm);
      if (clock.getAsLong() >= untilMillis) {
        return;
      }
      String kind = KINDS.get(random.nextInt(KINDS.size()));
      int instance = random.nextInt(cluster.instances.size());
      long hold = 1000 + random.nextInt(5000);
      inject(kind, instance, hold);
    }
  }

  private void inject(String kind, int instance, long hold) throws InterruptedException, IOException {
    long start = clock.getAsLong();
    String target = kind.startsWith("instance") ? "instance-" + instance : kind.substring(0, kind.indexOf('-'));
    System.out.printf("[%6.1fs] nemesis: %s on %s for %d ms%n", start / 1000.0, kind, target, hold);
    switch (kind) {
      case "instance-kill9" -> {
        Cluster.Proc p = cluster.instances.get(instance);
        p.kill9();
        Thread.sleep(hold);
        cluster.restart(p);
      }
      case "instance-stop" -> pause(cluster.instances.get(instance), hold);
      case "redis-restart" -> {
        cluster.redis.kill9();
        Thread.sleep(hold);
        cluster.restart(cluster.redis);
      }
      case "redis-flushall" -> cluster.redisCommand("FLUSHALL");
      case "redis-stop" -> pause(cluster.redis, hold);
      case "dynalite-kill9" -> {
        cluster.dynalite.kill9();
        Thread.sleep(hold);
        cluster.restart(cluster.dynalite);
      }
      case "dynalite-stop" -> pause(cluster.dynalite, hold);
      default -> throw new IllegalArgumentException(kind);
    }
    history.add(new History.Fault(kind, target, start, clock.getAsLong()));
  }

  private static void pause(Cluster.Proc p, long hold) throws InterruptedException {
    p.stop();
    Thread.sleep(hold);
    p.cont();
  }
}
