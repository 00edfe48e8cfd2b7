package dev.pixels.cluster;

import dev.pixels.canvas.CanvasSnapshot;
import dev.pixels.canvas.CommittedCanvas;
import dev.pixels.realtime.BatchListener;
import dev.pixels.realtime.Broadcaster;
import dev.pixels.realtime.PixelIntake;
import dev.pixels.realtime.Replies;
import dev.pixels.storage.Checkpoint;
import dev.pixels.storage.PixelStore;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of a multi-instance deployment: the shared canvas in Redis, this instance's replica
 * of it, the intake that sequences pixels through Redis, the log writer that stores the sequenced
 * pixels while this instance holds the writer lease, and the snapshotter that writes changed
 * canvas chunks to the store while it holds the snapshot lease.
 *
 * <p>Concurrency: each part has its own named thread (see their classes); this class only wires
 * them and runs {@code pixels-snapshotter}, whose state is confined to that thread.
 */
public final class ClusterNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
  private static final long STREAM_MAX_LEN = 1_000_000;
  private static final Duration START_WAIT_MARGIN = Duration.ofSeconds(2);
  /** Below this much time left at shutdown the snapshot lease is left to expire rather than released. */
  private static final Duration MIN_RELEASE_TIME = Duration.ofMillis(20);
  private static final Duration DISCONNECT_TIME = Duration.ofMillis(200);
  /**
   * How often an idle log writer looks for new entries. It bounds what the commit mark adds to a
   * pixel's ack and broadcast delay, at one small Redis read per interval.
   */
  private static final Duration WRITER_IDLE = Duration.ofMillis(2);

  private final String instanceId = UUID.randomUUID().toString();
  private final RedisCanvas redis;
  private final PixelStore store;
  private final StreamReplica replica;
  private final ClusterIntake intake;
  private final LogWriter writer;
  private final Duration snapshotInterval;
  private final Duration durabilityTimeout;
  private final ScheduledExecutorService snapshotter;
  private long lastSnapshotSeq = -1; // snapshotter thread only
  private final ScheduledExecutorService versionPoller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "pixels-shared-state");
    t.setDaemon(true);
    return t;
  });
  private Duration pollInterval = Duration.ofMillis(50);

  private ClusterNode(RedisCanvas redis, PixelStore store, StreamReplica replica, ClusterIntake intake,
      LogWriter writer, Duration snapshotInterval, Duration durabilityTimeout) {
    this.writer = writer;
    this.durabilityTimeout = durabilityTimeout;
    this.redis = redis;
    this.store = store;
    this.replica = replica;
    this.intake = intake;
    this.snapshotInterval = snapshotInterval;
    this.snapshotter = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "pixels-snapshotter");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Connects to Redis and loads the shared canvas, rebuilding it from {@code store} if Redis has
   * none. A Redis that is down, restarting or being rebuilt by another instance does not stop the
   * start: after waiting a bounded time the node serves the stored canvas, reports itself degraded
   * (so {@code /ready} fails naming Redis), and joins the shared canvas once Redis gives one.
   */
  public static ClusterNode connect(ClusterSettings scale, NodeSettings config, PixelStore store,
      io.micrometer.core.instrument.MeterRegistry meters) {
    RedisCanvas redis = new RedisCanvas(scale.redis(), COMMAND_TIMEOUT, STREAM_MAX_LEN, meters);
    try {
      redis.loadScripts();
    } catch (RedisException e) {
      // Loaded again by the first call that misses them once Redis answers.
      log.warn("redis at {} is not answering at start; will keep trying: {}", scale.redis(), e.toString());
    }
    // A log writer that read entries just before Redis lost its data may still be storing them; the
    // rebuild waits that out, so that it reads them and the new epoch's seqs start above them.
    Duration grace = scale.durabilityTimeout().multipliedBy(2).plusMillis(250);
    CanvasBootstrap bootstrap = new CanvasBootstrap(redis, store, config.canvasWidth(), config.canvasHeight(), grace,
        UUID.randomUUID().toString());
    StreamReplica replica = new StreamReplica(redis, bootstrap, config.canvasWidth(), config.canvasHeight(),
        config.batchInterval(), grace.plusSeconds(60));
    try {
      // Long enough for another instance's rebuild that is under way to finish.
      replica.loadAtStart(grace.plus(START_WAIT_MARGIN));
    } catch (RuntimeException e) {
      redis.close(); // the store failed too: the start fails, and leaves no Redis threads behind
      throw e;
    }
    ClusterIntake intake = new ClusterIntake(redis, new Replies(), scale.rateLimit(), config.canvasWidth(),
        config.pendingPixelLimit(), scale.durabilityTimeout(), COMMAND_TIMEOUT);
    LogWriter writer = new LogWriter(redis, store, UUID.randomUUID().toString(), WRITER_IDLE);
    ClusterNode node = new ClusterNode(redis, store, replica, intake, writer, config.canvasCheckpointInterval(),
        scale.durabilityTimeout());
    node.pollInterval = config.batchInterval();
    if (replica.redisUp()) {
      log.info("joined the shared canvas at seq {} via {}", replica.seq(), scale.redis());
    } else {
      log.info("started from the stored canvas at seq {}; joins the shared canvas via {} once redis gives one",
          replica.seq(), scale.redis());
    }
    return node;
  }

  /** The seq of the replica, for the broadcaster's start. */
  public long seq() {
    return replica.seq();
  }

  /** The canvas hash at {@link #seq()}. */
  public String hash() {
    return replica.hash();
  }

  /** The replica: what {@code GET /canvas} serves, with no Redis read per request. */
  public CommittedCanvas canvas() {
    return replica;
  }

  public PixelIntake intake() {
    return intake;
  }

  /**
   * Reports acknowledged and refused pixels, and the log writer's store calls and failures, to
   * {@code listener}, as the batcher does.
   */
  public void listener(BatchListener listener) {
    intake.listener(listener);
    writer.listener(listener);
  }

  /** Pixels accepted and not yet answered: waiting for Redis to sequence them or for the store. */
  public int pendingPixels() {
    return intake.pendingPixels();
  }

  /** Server-made edits through the same accept script and durable write as painted pixels. */
  public dev.pixels.canvas.CanvasEditor editor() {
    return intake;
  }

  /** Starts reading the stream into {@code broadcaster}, storing it, accepting pixels, and snapshotting. */
  public void start(Broadcaster broadcaster) {
    replica.start(broadcaster, intake);
    writer.start();
    intake.start();
    long ms = snapshotInterval.toMillis();
    snapshotter.scheduleWithFixedDelay(this::snapshotIfLeaseHeld, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Shares a piece of state kept in the store (moderation locks and bans) across instances: the
   * returned signal, called after this instance changed it, bumps a version key in Redis, and every
   * instance polls that key once per batch interval and calls {@code onRemoteChange} when it moved
   * (or vanished with a Redis flush), so a change reaches every instance within one interval. A
   * poll that misses Redis is retried at the next interval; the state itself is never in Redis.
   */
  public Runnable shareState(String topic, Runnable onRemoteChange) {
    String[] seen = {null}; // poller thread only
    try {
      seen[0] = redis.version(topic);
    } catch (RuntimeException e) {
      log.warn("could not read the {} version; the first poll reloads it: {}", topic, e.toString());
    }
    long ms = Math.max(1, pollInterval.toMillis());
    versionPoller.scheduleWithFixedDelay(() -> {
      try {
        String now = redis.version(topic);
        if (!java.util.Objects.equals(now, seen[0])) {
          seen[0] = now;
          onRemoteChange.run();
        }
      } catch (RuntimeException e) {
        log.debug("could not poll the {} version: {}", topic, e.toString());
      }
    }, ms, ms, TimeUnit.MILLISECONDS);
    return () -> {
      try {
        redis.bumpVersion(topic);
      } catch (RuntimeException e) {
        // Stored already; other instances pick it up when they next reload (a later change or a
        // Redis flush), so the change is not lost, only late.
        log.warn("could not signal a {} change to the other instances: {}", topic, e.toString());
      }
    };
  }

  /** Why this instance is degraded, or null if it is not. */
  public String degradedReason() {
    return replica.redisUp() ? null : "redis unreachable: serving the last known canvas, rejecting pixels";
  }

  private void snapshotIfLeaseHeld() {
    try {
      if (!redis.lease(RedisCanvas.SNAPSHOT_LEASE, instanceId, snapshotInterval.multipliedBy(3))) {
        return;
      }
      CanvasSnapshot s = replica.snapshot();
      if (s.seq() != lastSnapshotSeq) {
        store.saveCheckpoint(new Checkpoint(s.seq(), s.width(), s.height(), s.pixels()));
        lastSnapshotSeq = s.seq();
      }
    } catch (RuntimeException e) {
      log.warn("snapshot skipped; will retry at the next interval: {}", e.toString());
    }
  }

  /**
   * Stops accepting, answers what was accepted, stops reading and disconnects, all within {@code
   * timeout}: every wait on Redis or the store is cut to what is left of it. Returns false if some
   * accepted pixels had to be rejected unconfirmed because the store or Redis did not answer in time.
   */
  public boolean stop(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    // The last part is kept for letting go of Redis, which needs no answer from a hung dependency.
    long settleBy = deadline - Math.min(DISCONNECT_TIME.toNanos(), timeout.toNanos() / 5);
    // The writer and the replica run until the intake has settled: they are what acknowledges.
    boolean settled = intake.stop(settleBy);
    versionPoller.shutdownNow();
    snapshotter.shutdownNow();
    writer.stop(settleBy);
    replica.stop(settleBy);
    Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    if (left.compareTo(MIN_RELEASE_TIME) >= 0) {
      try {
        redis.release(RedisCanvas.SNAPSHOT_LEASE, instanceId, left.dividedBy(2));
      } catch (RuntimeException e) {
        log.debug("could not release the snapshot lease; it expires by itself: {}", e.toString());
      }
    }
    redis.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    return settled;
  }

  /** {@link #stop} with the durability timeout and one more store call as the deadline. */
  @Override
  public void close() {
    stop(durabilityTimeout.multipliedBy(2).plus(START_WAIT_MARGIN));
  }
}
