package dev.pixels.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The fault injector: a seeded random sequence of faults on the instances, Redis and dynalite (or,
 * on a single node, kill -9 and a full disk), one at a time, with a calm gap between two faults.
 * The same seed and the same kinds give the same sequence of kinds, targets and durations.
 */
final class Nemesis {
  /** The cluster's faults; {@code instance-partition} only when the instances run in namespaces. */
  static final List<String> CLUSTER_KINDS = List.of("instance-kill9", "instance-stop", "redis-restart",
      "redis-flushall", "redis-stop", "dynalite-kill9", "dynalite-stop", "instance-partition");
  /**
   * The single node's faults; {@code disk-full} and {@code disk-full-kill9} (kill -9 while the disk
   * is still full, free it, restart: a pixel acked but not stored would be gone) only when the data
   * directory is on its own tmpfs.
   */
  static final List<String> SINGLE_KINDS = List.of("instance-kill9", "disk-full", "disk-full-kill9");

  private final Cluster cluster;
  private final History history;
  private final Random random;
  private final LongSupplier clock;
  private final List<String> kinds;
  private final DiskFiller disk;
  /** What the instance said on /ready during and after each disk-full fault, for the report. */
  final List<String> diskObservations = new ArrayList<>();

  Nemesis(Cluster cluster, History history, long seed, LongSupplier clock, List<String> kinds, DiskFiller disk) {
    this.cluster = cluster;
    this.history = history;
    this.random = new Random(seed);
    this.clock = clock;
    this.kinds = kinds;
    this.disk = disk;
  }

  /** Injects faults until {@code untilMillis} on the clock; each fault is healed before the next starts. */
  void run(long untilMillis) throws InterruptedException, IOException {
    while (clock.getAsLong() < untilMillis) {
      long calm = 3000 + random.nextInt(4000);
      Thread.sleep(calm);
      if (clock.getAsLong() >= untilMillis) {
        return;
      }
      String kind = kinds.get(random.nextInt(kinds.size()));
      int instance = random.nextInt(cluster.instances.size());
      long hold = 1000 + random.nextInt(5000);
      inject(kind, instance, hold);
    }
  }

  private void inject(String kind, int instance, long hold) throws InterruptedException, IOException {
    long start = clock.getAsLong();
    String target = kind.startsWith("instance") ? "instance-" + instance
        : kind.startsWith("disk-full") ? "instance-0" : kind.substring(0, kind.indexOf('-'));
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
      case "instance-partition" -> {
        cluster.netns.partition(instance);
        try {
          Thread.sleep(hold);
        } finally {
          cluster.netns.heal(instance);
        }
      }
      case "disk-full", "disk-full-kill9" -> {
        long left = disk.fill();
        diskObservations.add(String.format("[%6.1fs] %s: disk filled, %d bytes left", clock.getAsLong() / 1000.0,
            kind, left));
        try {
          watchReady(clock.getAsLong() + hold);
          if (kind.equals("disk-full-kill9")) {
            cluster.instances.get(0).kill9();
          }
        } finally {
          disk.free();
        }
        diskObservations.add(String.format("[%6.1fs] disk freed", clock.getAsLong() / 1000.0));
        if (kind.equals("disk-full-kill9")) {
          cluster.restart(cluster.instances.get(0));
          history.add(new History.Fault(kind, target, start, clock.getAsLong()));
          return;
        }
        history.add(new History.Fault(kind, target, start, clock.getAsLong()));
        watchReady(clock.getAsLong() + 2000);
        return;
      }
      default -> throw new IllegalArgumentException(kind);
    }
    history.add(new History.Fault(kind, target, start, clock.getAsLong()));
  }

  /** Polls /ready until {@code untilMillis}, noting each change of its answer. */
  private void watchReady(long untilMillis) throws InterruptedException {
    String last = null;
    while (clock.getAsLong() < untilMillis) {
      String now = ready();
      if (!now.equals(last)) {
        diskObservations.add(String.format("[%6.1fs]   /ready %s", clock.getAsLong() / 1000.0, now));
        last = now;
      }
      Thread.sleep(Math.max(0, Math.min(250, untilMillis - clock.getAsLong())));
    }
  }

  private String ready() {
    try {
      var r = cluster.get(0, "/ready");
      return r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8).replace('\n', ' ');
    } catch (IOException e) {
      return "no answer (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Fills a file system with one file until it has no space left, and frees it. */
  static final class DiskFiller {
    private final Path file;

    DiskFiller(Path mountPoint) {
      this.file = mountPoint.resolve("chaos-filler");
    }

    /** Writes zeros until the file system refuses; the bytes still free afterwards. */
    long fill() throws IOException {
      byte[] chunk = new byte[1 << 20];
      try (var out = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.APPEND)) {
        for (int size = chunk.length; size >= 512; size /= 4) {
          try {
            while (true) {
              java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(chunk, 0, size);
              while (b.hasRemaining()) {
                out.write(b);
              }
            }
          } catch (IOException full) {
            // No space for this chunk size: go on with smaller ones to leave as little as possible.
          }
        }
      }
      return java.nio.file.Files.getFileStore(file).getUsableSpace();
    }

    void free() throws IOException {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  private static void pause(Cluster.Proc p, long hold) throws InterruptedException {
    p.stop();
    Thread.sleep(hold);
    p.cont();
  }
}
