package dev.pixels.realtime;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.CanvasSnapshot;
import dev.pixels.canvas.CommittedCanvas;
import dev.pixels.canvas.Palette;
import dev.pixels.canvas.PixelChange;
import dev.pixels.storage.PixelStore;
import io.vertx.core.Context;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the canvas: every batch interval it takes the pixels waiting, numbers them,
 * applies them, commits them to the store in one transaction, and only then acknowledges them and
 * hands the batch to the fan-out.
 *
 * <p>Concurrency. Event loops call {@link #offer}, which only puts the request on a bounded queue;
 * a full queue is backpressure, and the caller rejects the pixel as {@code unavailable}. Everything
 * else happens on the one thread {@code pixels-batcher}, so seq assignment needs no atomics and the
 * canvas has one writer. Readers on other threads take {@link #snapshot()}, which copies the canvas
 * under {@code canvasLock}; the batcher holds that lock from the first change of a batch until the
 * batch is committed (or reverted), so a reader never sees a pixel that is not durable.
 */
public final class PixelBatcher implements CommittedCanvas, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PixelBatcher.class);

  /** Upper bound on pixels per transaction and per frame; more waiting means more batches. */
  static final int MAX_BATCH_PIXELS = 10_000;

  private final Canvas canvas; // written only by the batcher thread, under canvasLock
  private final Object canvasLock = new Object();
  private final PixelStore store;
  private final FanOut fanOut;
  private final Palette palette;
  private final long intervalNanos;
  private final ArrayBlockingQueue<PixelRequest> queue;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile long committedSeq;
  private volatile BatchListener listener = BatchListener.NONE;

  /** Observes batches, for metrics; called on the batcher thread. */
  public interface BatchListener {
    BatchListener NONE = new BatchListener() {};

    default void committed(List<PixelRequest> requests, long commitNanos) {}

    default void failed(int pixels, RuntimeException cause) {}
  }

  public PixelBatcher(Canvas canvas, PixelStore store, FanOut fanOut, Palette palette,
      Duration interval, int queueCapacity) {
    this.canvas = canvas;
    this.store = store;
    this.fanOut = fanOut;
    this.palette = palette;
    this.intervalNanos = interval.toNanos();
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.committedSeq = canvas.seq();
    this.thread = new Thread(this::run, "pixels-batcher");
  }

  public void listener(BatchListener listener) {
    this.listener = listener;
  }

  public void start() {
    thread.start();
  }

  /** Queues a validated pixel; false if the queue is full. Never blocks. */
  boolean offer(PixelRequest request) {
    return running && queue.offer(request);
  }

  /** Pixels waiting for a batch. */
  public int pendingPixels() {
    return queue.size();
  }

  @Override
  public long seq() {
    return committedSeq;
  }

  @Override
  public CanvasSnapshot snapshot() {
    synchronized (canvasLock) {
      return new CanvasSnapshot(canvas.seq(), canvas.width(), canvas.height(), canvas.copyPixels());
    }
  }

  private void run() {
    long nextTick = System.nanoTime() + intervalNanos;
    try {
      while (running) {
        long wait = nextTick - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
          continue;
        }
        // A late tick is not made up for: the next batch simply takes everything pending.
        nextTick = Math.max(nextTick + intervalNanos, System.nanoTime());
        drainAll();
      }
      drainAll();
    } catch (RuntimeException | Error e) {
      log.error("the batcher stopped unexpectedly; no further pixels will be accepted", e);
      running = false;
    } finally {
      stopped.countDown();
    }
  }

  private void drainAll() {
    List<PixelRequest> requests = new ArrayList<>();
    while (queue.drainTo(requests, MAX_BATCH_PIXELS) > 0) {
      commitBatch(requests);
      requests = new ArrayList<>();
    }
  }

  private void commitBatch(List<PixelRequest> requests) {
    long now = System.currentTimeMillis();
    List<PixelChange> changes = new ArrayList<>(requests.size());
    long started = System.nanoTime();
    synchronized (canvasLock) {
      for (PixelRequest r : requests) {
        long seq = canvas.seq() + 1;
        int previous = canvas.get(r.x(), r.y());
        PixelChange change =
            new PixelChange(seq, r.x(), r.y(), r.color(), previous, r.origin().identity().userId(), now, r.tool());
        canvas.apply(change);
        changes.add(change);
      }
      try {
        store.append(changes);
      } catch (RuntimeException e) {
        for (int i = changes.size() - 1; i >= 0; i--) {
          canvas.revert(changes.get(i));
        }
        log.error("could not commit {} pixels to the {} store; they were rejected", changes.size(), store.name(), e);
        listener.failed(changes.size(), e);
        replyAll(requests, null, new Verdict.Rejection(
            RejectReason.UNAVAILABLE, "the store is not accepting writes; try again shortly",
            TimeUnit.NANOSECONDS.toMillis(intervalNanos) * 20));
        return;
      }
    }
    long commitNanos = System.nanoTime() - started;
    committedSeq = changes.get(changes.size() - 1).seq();
    // Only this thread writes the canvas, so hashing outside the lock sees exactly this batch.
    CommittedBatch batch = new CommittedBatch(changes, canvas.sha256Hex(), now);
    fanOut.publish(batch);
    replyAll(requests, changes, null);
    listener.committed(requests, commitNanos);
  }

  /** Sends acks (if {@code changes} is given) or the rejection, grouped into one task per loop. */
  private void replyAll(List<PixelRequest> requests, List<PixelChange> changes, Verdict.Rejection rejection) {
    Map<Context, List<String>> byLoop = new IdentityHashMap<>();
    Map<Context, List<Session>> sessions = new IdentityHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      PixelRequest r = requests.get(i);
      String message = changes != null
          ? ServerMessages.ack(r, changes.get(i).seq(), palette)
          : ServerMessages.reject(r, rejection);
      Context loop = r.origin().context();
      byLoop.computeIfAbsent(loop, k -> new ArrayList<>()).add(message);
      sessions.computeIfAbsent(loop, k -> new ArrayList<>()).add(r.origin());
    }
    for (Map.Entry<Context, List<String>> e : byLoop.entrySet()) {
      List<String> messages = e.getValue();
      List<Session> targets = sessions.get(e.getKey());
      e.getKey().runOnContext(v -> {
        for (int i = 0; i < messages.size(); i++) {
          targets.get(i).sendText(messages.get(i));
        }
      });
    }
  }

  /** Stops taking pixels, commits what is queued, and waits up to {@code timeout} for that. */
  public boolean stop(Duration timeout) throws InterruptedException {
    running = false;
    LockSupport.unpark(thread);
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    stop(Duration.ofSeconds(10));
  }
}
