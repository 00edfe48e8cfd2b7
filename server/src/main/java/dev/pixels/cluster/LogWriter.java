package dev.pixels.cluster;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.realtime.BatchListener;
import dev.pixels.storage.HistoryQuery;
import dev.pixels.storage.LogOrderException;
import dev.pixels.storage.PixelStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's one log writer: while this instance holds the writer lease, it stores the stream's
 * entries above the commit mark in the pixel store, in seq order and in batches, and then raises
 * the mark. Every instance shows and acknowledges a pixel only once the mark has passed it, so
 * what any watcher sees is in the store, and a pixel sequenced by an instance that then died is
 * stored all the same: the entry, not the instance, is what gets written.
 *
 * <p>Every entry's content is fixed by Redis when it is sequenced, so two writers that briefly
 * both believe they hold the lease (a pause longer than the lease) write the same items, which
 * DynamoDB puts make harmless. A writer that finds entries already in the log (stored by a writer
 * that died before raising the mark) skips them. After Redis loses its data, the new epoch starts
 * above the log's head, and {@link RedisCanvas#commit} refuses to move a mark of another epoch.
 *
 * <p>Concurrency: one thread, {@code pixels-log-writer}, owns all the state here; {@link #stop}
 * only flips {@code running} and waits for it.
 */
final class LogWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LogWriter.class);
  static final int MAX_BATCH = 1_000;
  private static final Duration LEASE_TTL = Duration.ofSeconds(2);
  private static final long MAX_BACKOFF_MS = 1_000;

  private final RedisCanvas redis;
  private final PixelStore store;
  private final String instanceId;
  private final long idleNanos;
  private final Thread thread;
  private volatile BatchListener listener = BatchListener.NONE;
  private volatile boolean running = true;
  /** When the lease was last taken or extended, {@link System#nanoTime()}; writer thread only. */
  private long leaseRenewedNanos;
  private boolean holding; // writer thread only
  /** The epoch and seq through which this writer knows the log holds the stream; writer thread only. */
  private String epoch;
  private long storedThrough;
  private long backoffMs;

  LogWriter(RedisCanvas redis, PixelStore store, String instanceId, Duration idle) {
    this.redis = redis;
    this.store = store;
    this.instanceId = instanceId;
    this.idleNanos = idle.toNanos();
    this.thread = new Thread(this::run, "pixels-log-writer");
    thread.setDaemon(true); // stop does not wait past its deadline for a store call that hangs
  }

  /** Reports store commits and failures to {@code listener} (metrics). */
  void listener(BatchListener listener) {
    this.listener = listener;
  }

  void start() {
    thread.start();
  }

  /** True while this instance holds the writer lease, as of its last renewal. */
  boolean isWriter() {
    return holding;
  }

  private void run() {
    while (running) {
      boolean busy;
      try {
        busy = holdLease() && writeOnce();
        backoffMs = 0;
      } catch (io.lettuce.core.RedisException e) {
        // Redis's own outage: the intake and the replica report it; nothing was stored or lost.
        backOff("could not read the stream from redis", e);
        continue;
      } catch (RuntimeException e) {
        listener.failed(0, e);
        backOff("could not store the stream", e);
        continue;
      }
      if (!busy) {
        LockSupport.parkNanos(holding ? idleNanos : LEASE_TTL.toNanos() / 4);
      }
    }
    if (holding) {
      try {
        redis.release(RedisCanvas.WRITER_LEASE, instanceId, Duration.ofMillis(200));
      } catch (RuntimeException e) {
        log.debug("could not release the writer lease; it expires by itself: {}", e.toString());
      }
    }
  }

  private void backOff(String what, RuntimeException cause) {
    backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(50, backoffMs * 2));
    if (backoffMs < MAX_BACKOFF_MS) {
      log.warn("the log writer {}; retrying in {} ms: {}", what, backoffMs, cause.toString());
    } else {
      log.debug("the log writer {}; retrying in {} ms: {}", what, backoffMs, cause.toString());
    }
    LockSupport.parkNanos(backoffMs * 1_000_000);
  }

  /** Takes the lease, or extends it once a third of it has passed; true while held. */
  private boolean holdLease() {
    long now = System.nanoTime();
    if (holding && now - leaseRenewedNanos < LEASE_TTL.toNanos() / 3) {
      return true;
    }
    boolean was = holding;
    holding = redis.lease(RedisCanvas.WRITER_LEASE, instanceId, LEASE_TTL);
    if (holding) {
      leaseRenewedNanos = now;
      if (!was) {
        epoch = null; // another writer may have stored more meanwhile: ask the log again
        log.info("this instance now stores the shared pixel log");
      }
    } else if (was) {
      log.info("another instance took over storing the shared pixel log");
    }
    return holding;
  }

  /** Stores one batch of entries above the commit mark and raises it; true if there was work. */
  private boolean writeOnce() {
    RedisCanvas.Read read = redis.readUnstored(MAX_BATCH);
    if (read.epoch() == null) {
      return false; // Redis lost the canvas; the rebuild installs a new epoch
    }
    if (!read.epoch().equals(epoch)) {
      epoch = read.epoch();
      storedThrough = Math.max(read.stored(), logHead());
    }
    List<PixelChange> batch = new ArrayList<>(read.entries().size());
    for (RedisCanvas.Entry e : read.entries()) {
      if (e.seq() > storedThrough) {
        batch.add(change(e));
      }
    }
    if (!batch.isEmpty()) {
      long started = System.nanoTime();
      try {
        store.append(batch);
      } catch (LogOrderException e) {
        // Another writer stored some of them and died before raising the mark: skip what the log
        // holds. A log that holds none of them is another fault, which backoff then reports.
        long head = logHead();
        if (head < batch.get(0).seq()) {
          throw e;
        }
        storedThrough = head;
        return true;
      }
      listener.stored(batch.size(), System.nanoTime() - started);
      storedThrough = batch.get(batch.size() - 1).seq();
    }
    if (storedThrough > read.stored() && !redis.commit(epoch, storedThrough)) {
      epoch = null; // Redis holds another canvas now; what was stored belongs to the lost one
    }
    return !read.entries().isEmpty();
  }

  /** The highest seq the log holds, 0 if none. */
  private long logHead() {
    List<PixelChange> newest = store.history(HistoryQuery.newest(1));
    return newest.isEmpty() ? 0 : newest.get(0).seq();
  }

  static PixelChange change(RedisCanvas.Entry e) {
    return new PixelChange(e.seq(), e.x(), e.y(), e.color(), e.previousColor(), e.userId(), e.timestampMillis(),
        Tool.fromWire(e.tool()));
  }

  /**
   * Stops writing, waiting for the batch in progress until {@code deadlineNanos} ({@link
   * System#nanoTime()}), then gives the lease up so another instance takes over at once; a store
   * call still running then is interrupted, and the next writer repeats its batch.
   */
  void stop(long deadlineNanos) {
    running = false;
    Deadlines.stopBy(thread, deadlineNanos);
  }

  @Override
  public void close() {
    stop(System.nanoTime() + Duration.ofSeconds(5).toNanos());
  }
}
