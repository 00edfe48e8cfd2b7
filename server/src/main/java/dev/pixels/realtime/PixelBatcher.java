package dev.pixels.realtime;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.Tool;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import dev.pixels.canvas.CanvasSnapshot;
import dev.pixels.canvas.CommittedCanvas;
import dev.pixels.canvas.Palette;
import dev.pixels.canvas.PixelChange;
import dev.pixels.storage.PixelStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * batch is committed and published (or reverted), so a reader never sees a pixel that is not
 * durable, nor a seq that clients resuming from it could not be sent.
 */
public final class PixelBatcher implements PixelIntake, CanvasEditor, CommittedCanvas, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PixelBatcher.class);

  /** Upper bound on pixels per transaction and per frame; more waiting means more batches. */
  static final int MAX_BATCH_PIXELS = 10_000;

  private final Canvas canvas; // written only by the batcher thread, under canvasLock
  private final Object canvasLock = new Object();
  private final PixelStore store;
  private final FanOut fanOut;
  private final Replies replies;
  private final ConcurrentLinkedQueue<EditJob> edits = new ConcurrentLinkedQueue<>();
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
    this.replies = new Replies(palette);
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
  @Override
  public boolean offer(PixelRequest request) {
    return running && queue.offer(request);
  }

  /** False once stopped, or if the batcher thread died: no pixel will be committed. */
  public boolean isRunning() {
    return running;
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

  /** A server-made set of edits and the future to complete when they are durable. */
  private record EditJob(List<Edit> edits, String userId, Tool tool, CompletableFuture<EditResult> done) {}

  @Override
  public CompletableFuture<EditResult> apply(List<Edit> editList, String userId, Tool tool) {
    CompletableFuture<EditResult> done = new CompletableFuture<>();
    if (!running) {
      done.completeExceptionally(new IllegalStateException("the server is shutting down"));
      return done;
    }
    edits.add(new EditJob(List.copyOf(editList), userId, tool, done));
    return done;
  }

  private void drainAll() {
    for (EditJob job; (job = edits.poll()) != null; ) {
      applyEdits(job);
    }
    List<PixelRequest> requests = new ArrayList<>();
    while (queue.drainTo(requests, MAX_BATCH_PIXELS) > 0) {
      commitRequests(requests);
      requests = new ArrayList<>();
    }
  }

  private void applyEdits(EditJob job) {
    long now = System.currentTimeMillis();
    long fromSeq = committedSeq + 1;
    // Only this thread writes the canvas, so reading it here without the lock is exact.
    List<Edit> effective = new ArrayList<>(job.edits().size());
    for (Edit edit : job.edits()) {
      if (edit.expectedColor() == CanvasEditor.ANY || canvas.get(edit.x(), edit.y()) == edit.expectedColor()) {
        effective.add(edit);
      }
    }
    for (int start = 0; start < effective.size(); start += MAX_BATCH_PIXELS) {
      List<Edit> chunk = effective.subList(start, Math.min(effective.size(), start + MAX_BATCH_PIXELS));
      try {
        commit(chunk.size(), i -> chunk.get(i).x(), i -> chunk.get(i).y(), i -> chunk.get(i).color(),
            i -> job.tool(), i -> job.userId(), now, committed -> { });
      } catch (RuntimeException e) {
        job.done().completeExceptionally(e);
        return;
      }
    }
    job.done().complete(new EditResult(effective.size(), fromSeq, committedSeq));
  }

  private void commitRequests(List<PixelRequest> requests) {
    long started = System.nanoTime();
    List<PixelChange> changes;
    try {
      // Acks go out before the broadcast: a painter waits for its ack, a watcher for the next
      // batch interval anyway, and both are queued on the same event loops.
      changes = commit(requests.size(), i -> requests.get(i).x(), i -> requests.get(i).y(),
          i -> requests.get(i).color(), i -> requests.get(i).tool(), i -> requests.get(i).userId(),
          System.currentTimeMillis(), committed -> replies.ack(requests, i -> committed.get(i).seq()));
    } catch (RuntimeException e) {
      listener.failed(requests.size(), e);
      replies.reject(requests, new Verdict.Rejection(
          RejectReason.UNAVAILABLE, "the store is not accepting writes; try again shortly",
          TimeUnit.NANOSECONDS.toMillis(intervalNanos) * 20));
      return;
    }
    listener.committed(requests, System.nanoTime() - started);
  }

  /**
   * Numbers, applies, stores and publishes {@code n} changes described by the accessors, calling
   * {@code durable} between the store and the publication; on a store failure reverts them and
   * throws, leaving canvas and seq as they were.
   *
   * <p>The publication happens before {@code canvasLock} is released, so a snapshot (and thus
   * {@code GET /canvas}) never shows a seq the broadcaster has not published: a client that
   * fetches the canvas at seq S and resumes with {@code sinceSeq=S} always finds S published.
   */
  private List<PixelChange> commit(int n, java.util.function.IntUnaryOperator x, java.util.function.IntUnaryOperator y,
      java.util.function.IntUnaryOperator color, java.util.function.IntFunction<Tool> tool,
      java.util.function.IntFunction<String> userId, long now,
      java.util.function.Consumer<List<PixelChange>> durable) {
    List<PixelChange> changes = new ArrayList<>(n);
    synchronized (canvasLock) {
      for (int i = 0; i < n; i++) {
        int px = x.applyAsInt(i);
        int py = y.applyAsInt(i);
        PixelChange change = new PixelChange(canvas.seq() + 1, px, py, color.applyAsInt(i), canvas.get(px, py),
            userId.apply(i), now, tool.apply(i));
        canvas.apply(change);
        changes.add(change);
      }
      try {
        store.append(changes);
      } catch (RuntimeException e) {
        for (int i = changes.size() - 1; i >= 0; i--) {
          canvas.revert(changes.get(i));
        }
        log.error("could not commit {} pixels to the {} store; they were rejected", n, store.name(), e);
        throw e;
      }
      committedSeq = changes.get(changes.size() - 1).seq();
      durable.accept(changes);
      fanOut.publish(new CommittedBatch(changes, canvas.sha256Hex(), now));
    }
    return changes;
  }

  /** Stops taking pixels, commits what is queued, and waits up to {@code timeout} for that. */
  public boolean stop(Duration timeout) throws InterruptedException {
    running = false;
    LockSupport.unpark(thread);
    boolean finished = stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (finished) {
      // An offer that raced with the final drain is answered rather than left hanging.
      List<PixelRequest> late = new ArrayList<>();
      queue.drainTo(late);
      if (!late.isEmpty()) {
        replies.reject(late, new Verdict.Rejection(RejectReason.UNAVAILABLE, "the server is shutting down", 1000));
      }
      for (EditJob job; (job = edits.poll()) != null; ) {
        job.done().completeExceptionally(new IllegalStateException("the server is shutting down"));
      }
    }
    return finished;
  }

  @Override
  public void close() {
    try {
      stop(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
