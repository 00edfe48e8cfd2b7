package dev.pixels.cluster;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.PixelChange;
import dev.pixels.storage.Checkpoint;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.StoreException;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a canvas into Redis when it has none (first start, or Redis restarted or flushed): the
 * newest stored canvas chunks plus the log after them. One instance does it, under a lease; the
 * others wait for the new epoch to appear.
 *
 * <p>Before reading the store, the rebuilder waits out the grace period: every pixel sequenced
 * before Redis lost its data is by then either stored or past its durability deadline (and so
 * never acknowledged), so every acknowledged pixel is in what it reads. See docs/storage.md.
 *
 * <p>Concurrency: called from the starting thread and the stream reader; the lease makes the
 * rebuild itself exclusive across instances.
 */
final class CanvasBootstrap {
  private static final Logger log = LoggerFactory.getLogger(CanvasBootstrap.class);
  private static final long MAX_PAUSE_MS = 2_000;

  private final RedisCanvas redis;
  private final PixelStore store;
  private final int width;
  private final int height;
  private final Duration grace;
  private final String instanceId;

  CanvasBootstrap(RedisCanvas redis, PixelStore store, int width, int height, Duration grace, String instanceId) {
    this.redis = redis;
    this.store = store;
    this.width = width;
    this.height = height;
    this.grace = grace;
    this.instanceId = instanceId;
  }

  /**
   * Returns true once Redis holds a canvas, rebuilding it here if this instance wins the lease, or
   * false if none appeared within {@code wait}. Redis being unreachable meanwhile (down, restarting,
   * a dropped connection) is waited out with backoff; a rebuild already started here runs to the
   * end whatever {@code wait} says.
   */
  boolean ensureCanvas(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    long pauseMs = 100;
    while (true) {
      try {
        if (redis.snapshot(width).epoch() != null) {
          return true;
        }
        if (redis.lease(RedisCanvas.REBUILD_LEASE, instanceId, grace.plusSeconds(60))) {
          try {
            if (redis.snapshot(width).epoch() == null) {
              rebuild();
            }
          } finally {
            redis.release(RedisCanvas.REBUILD_LEASE, instanceId);
          }
          return true;
        }
        pauseMs = 100; // another instance is rebuilding: look again soon
      } catch (RedisException e) {
        pauseMs = Math.min(MAX_PAUSE_MS, pauseMs * 2);
        log.debug("redis is not answering while the shared canvas is awaited; retrying in {} ms: {}", pauseMs,
            e.toString());
      }
      if (System.nanoTime() + pauseMs * 1_000_000 > deadline) {
        return false;
      }
      sleep(pauseMs);
    }
  }

  /**
   * The canvas as the store holds it: what a rebuild would install, read without waiting the grace
   * period, so it may lack the last unconfirmed pixels. Served while Redis cannot give a canvas.
   */
  Canvas storedCanvas() {
    Canvas canvas = store.latestCheckpoint().map(this::fromCheckpoint).orElseGet(() -> new Canvas(width, height));
    store.replay(canvas.seq(), change -> {
      if (canvas.contains(change.x(), change.y())) {
        canvas.apply(change);
      }
    });
    return canvas;
  }

  private void rebuild() {
    log.info("redis holds no canvas; rebuilding it from the {} store after a {} ms grace period", store.name(),
        grace.toMillis());
    sleep(grace.toMillis());
    Canvas canvas = storedCanvas();
    String epoch = UUID.randomUUID().toString();
    if (redis.install(canvas.copyPixels(), canvas.seq(), epoch)) {
      log.info("shared canvas rebuilt at seq {} (epoch {})", canvas.seq(), epoch);
    } else {
      // Redis was emptied again while this rebuild waited, and another instance rebuilt it first.
      log.info("another instance installed the shared canvas while this rebuild waited; keeping it");
    }
  }

  /** The stored changes after {@code afterSeq}, in seq order, as a rebuild reads them. */
  void replayStored(long afterSeq, java.util.function.Consumer<PixelChange> sink) {
    store.replay(afterSeq, sink);
  }

  private Canvas fromCheckpoint(Checkpoint cp) {
    if (cp.width() != width || cp.height() != height) {
      throw new StoreException("the stored canvas is " + cp.width() + "x" + cp.height()
          + " but CANVAS_WIDTH/CANVAS_HEIGHT say " + width + "x" + height);
    }
    return new Canvas(width, height, cp.pixels(), cp.seq());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the shared canvas", e);
    }
  }
}
