package dev.pixels.realtime;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.CanvasSnapshot;
import dev.pixels.canvas.CommittedCanvas;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.storage.PixelStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the canvas: every batch interval it takes the pixels waiting, numbers them,
 * commits them to the store in one transaction, and only then applies them to the canvas,
 * acknowledges them and hands the batch to the fan-out. Server-made edits (repairs) join the same
 * batches, at most {@link #REPAIR_PIXELS_PER_BATCH} per tick and fewer when such a batch takes
 * longer than a batch interval to commit ({@link RepairPace}), so a repair of any size delays a
 * painter's pixel by at most one short chunk's commit, on a busy machine too.
 *
 * <p>Concurrency. Event loops call {@link #offer}, which only puts the request on a bounded queue;
 * a full queue is backpressure, and the caller rejects the pixel as {@code unavailable}. Everything
 * else happens on the one thread {@code pixels-batcher}, so seq assignment needs no atomics and the
 * canvas has one writer. Readers on other threads take {@link #snapshot()}, which copies the canvas
 * under {@code canvasLock}. Because the batcher is the only writer, it reads the canvas without the
 * lock to build a batch (seqs, previous colours, repair conditions, through {@link BatchColors} so
 * that later changes of a batch see earlier ones) and stores the batch without the lock too: a
 * snapshot taken meanwhile shows the canvas before the batch and does not wait for the store's
 * fsync. Only once the store has committed does the batcher take {@code canvasLock}, to apply the
 * batch, hash the canvas, acknowledge and publish; so a reader never sees a pixel that is not
 * durable, nor a seq that clients resuming from it could not be sent. A store failure leaves the
 * canvas untouched and the batch's seqs free for the next one. {@link #apply} only puts a repair
 * on a queue; its progress is kept and its future completed on the batcher thread, except that
 * {@link #stop} fails the repairs left once that thread has ended.
 *
 * <p>The batcher knows no sockets: it answers painters through each request's {@link PixelReply},
 * grouped by {@link Replies}.
 */
public final class PixelBatcher implements PixelIntake, CanvasEditor, CommittedCanvas, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PixelBatcher.class);

  /** Upper bound on pixels per transaction and per frame; more waiting means more batches. */
  static final int MAX_BATCH_PIXELS = 10_000;
  /**
   * Upper bound on a repair's pixels per tick. It keeps the batch that painters' pixels share with
   * a repair short to commit, and sets a repair's pace: this many pixels per batch interval.
   */
  static final int REPAIR_PIXELS_PER_BATCH = 4_000;
  /** Lower bound on a repair's pixels per tick, so that a repair always advances. */
  static final int MIN_REPAIR_PIXELS_PER_BATCH = 1_000;
  /** How often a run of failed commits is summarised in the log after its first failure. */
  static final Duration FAILURE_SUMMARY_INTERVAL = Duration.ofSeconds(10);

  private final Canvas canvas; // written only by the batcher thread, under canvasLock
  private final Object canvasLock = new Object();
  private final BatchColors batchColors; // batcher thread only
  private final PixelStore store;
  private final InstantSource clock; // the time of day each change is stamped with
  private final FanOut fanOut;
  private final Replies replies;
  private final ConcurrentLinkedQueue<Repair> repairs = new ConcurrentLinkedQueue<>();
  private final long intervalNanos;
  private final RepairPace repairPace; // batcher thread only
  private final ArrayBlockingQueue<PixelRequest> queue;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile long committedSeq;
  private volatile BatchListener listener = BatchListener.NONE;
  private final CommitFailureLog failureLog; // batcher thread only

  public PixelBatcher(Canvas canvas, PixelStore store, FanOut fanOut, Duration interval, int queueCapacity,
      InstantSource clock) {
    this.canvas = canvas;
    this.batchColors = new BatchColors(canvas, MAX_BATCH_PIXELS);
    this.clock = clock;
    this.store = store;
    this.fanOut = fanOut;
    this.replies = new Replies();
    this.intervalNanos = interval.toNanos();
    this.repairPace = new RepairPace(MIN_REPAIR_PIXELS_PER_BATCH, REPAIR_PIXELS_PER_BATCH, intervalNanos);
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.committedSeq = canvas.seq();
    this.thread = new Thread(this::run, "pixels-batcher");
    this.failureLog = new CommitFailureLog(log, store.name(), clock, FAILURE_SUMMARY_INTERVAL);
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

  /**
   * A server-made set of edits being applied a chunk per batch, and the future to complete when
   * the last chunk is durable. Its progress is touched only by the batcher thread (and by {@link
   * #stop} once that thread has ended).
   */
  private static final class Repair {
    final List<Edit> edits;
    final String userId;
    final Tool tool;
    final CompletableFuture<EditResult> done = new CompletableFuture<>();
    int next; // index of the first edit not yet applied or skipped
    int changed;
    long fromSeq;
    long toSeq;

    Repair(List<Edit> edits, String userId, Tool tool) {
      this.edits = edits;
      this.userId = userId;
      this.tool = tool;
    }

    EditResult result(long seqIfNone) {
      return changed == 0 ? new EditResult(0, seqIfNone + 1, seqIfNone) : new EditResult(changed, fromSeq, toSeq);
    }

    void fail(long seq, RuntimeException cause) {
      done.completeExceptionally(new IncompleteEdit(result(seq), edits.size(), cause));
    }
  }

  @Override
  public CompletableFuture<EditResult> apply(List<Edit> editList, String userId, Tool tool) {
    if (!running) {
      return CompletableFuture.failedFuture(new IllegalStateException("the server is shutting down"));
    }
    Repair repair = new Repair(List.copyOf(editList), userId, tool);
    repairs.add(repair);
    return repair.done;
  }

  /**
   * One tick: the first batch takes the painters' pixels waiting (up to what leaves room) and the
   * next chunk of the oldest repair; further batches take the painters' pixels still waiting. A
   * repair thus advances one chunk per tick and never keeps a painter's pixel out of the next batch.
   */
  private void drainAll() {
    List<PixelRequest> requests = new ArrayList<>();
    queue.drainTo(requests, MAX_BATCH_PIXELS - REPAIR_PIXELS_PER_BATCH);
    Repair repair = repairs.peek();
    if (repair != null) {
      commitWithRepair(requests, repair);
    } else if (!requests.isEmpty()) {
      commitPainted(requests);
    }
    requests = new ArrayList<>();
    while (queue.drainTo(requests, MAX_BATCH_PIXELS) > 0) {
      commitPainted(requests);
      requests = new ArrayList<>();
    }
  }

  /**
   * Commits {@code requests} together with the next chunk of {@code repair}: up to {@link
   * RepairPace#chunk()} of its edits whose condition still holds, checked on the canvas as it is
   * now and as the chunk's earlier edits leave it, so that a pixel repainted since the repair
   * looked keeps its newer colour.
   */
  private void commitWithRepair(List<PixelRequest> requests, Repair repair) {
    int limit = repairPace.chunk();
    List<Edit> chunk = new ArrayList<>(Math.min(limit, repair.edits.size() - repair.next));
    int next = repair.next;
    batchColors.clear();
    while (next < repair.edits.size() && chunk.size() < limit) {
      Edit edit = repair.edits.get(next++);
      if (edit.expectedColor() == CanvasEditor.ANY
          || batchColors.get(edit.x(), edit.y()) == edit.expectedColor()) {
        chunk.add(edit);
        batchColors.paint(edit.x(), edit.y(), edit.color());
      }
    }
    List<PixelChange> changes;
    long started = System.nanoTime();
    try {
      changes = chunk.isEmpty() && requests.isEmpty() ? List.of() : commitBatch(chunk, repair.userId, repair.tool,
          requests);
      repairPace.committed(chunk.size(), System.nanoTime() - started);
    } catch (RuntimeException e) {
      rejectUncommitted(requests, chunk.size(), e);
      repairs.poll();
      repair.fail(committedSeq, e);
      return;
    }
    repair.next = next;
    if (!chunk.isEmpty()) {
      if (repair.changed == 0) {
        repair.fromSeq = changes.get(0).seq();
      }
      repair.changed += chunk.size();
      repair.toSeq = changes.get(chunk.size() - 1).seq();
    }
    if (repair.next == repair.edits.size()) {
      repairs.poll();
      repair.done.complete(repair.result(committedSeq));
    }
  }

  private void commitPainted(List<PixelRequest> requests) {
    try {
      commitBatch(List.of(), "", Tool.BRUSH, requests);
    } catch (RuntimeException e) {
      rejectUncommitted(requests, 0, e);
    }
  }

  /**
   * Commits {@code edits} (as {@code editor} with {@code editTool}) followed by {@code requests} in
   * one batch and acknowledges the requests once it is durable; returns its changes. On a store
   * failure nothing is applied and the exception is thrown on.
   */
  private List<PixelChange> commitBatch(List<Edit> edits, String editor, Tool editTool,
      List<PixelRequest> requests) {
    long started = System.nanoTime();
    int e = edits.size();
    // Acks go out before the broadcast: a painter waits for its ack, a watcher for the next
    // batch interval anyway, and both are queued on the same event loops.
    List<PixelChange> changes = commit(e + requests.size(),
        i -> i < e ? edits.get(i).x() : requests.get(i - e).x(),
        i -> i < e ? edits.get(i).y() : requests.get(i - e).y(),
        i -> i < e ? edits.get(i).color() : requests.get(i - e).color(),
        i -> i < e ? editTool : requests.get(i - e).tool(),
        i -> i < e ? editor : requests.get(i - e).userId(),
        clock.millis(), committed -> replies.ack(requests, i -> committed.get(e + i).seq()));
    if (!requests.isEmpty()) {
      listener.committed(requests, System.nanoTime() - started);
    }
    return changes;
  }

  /** Answers the painters of a batch the store refused; {@link #commit} has logged the failure. */
  private void rejectUncommitted(List<PixelRequest> requests, int edits, RuntimeException cause) {
    listener.failed(requests.size() + edits, cause);
    replies.reject(requests, new Verdict.Rejection(
        RejectReason.UNAVAILABLE, "the store is not accepting writes; try again shortly",
        TimeUnit.NANOSECONDS.toMillis(intervalNanos) * 20));
  }

  /**
   * Numbers, stores, applies and publishes {@code n} changes described by the accessors, calling
   * {@code durable} between the application and the publication; on a store failure throws,
   * leaving canvas and seq as they were.
   *
   * <p>The batch is numbered and stored without {@code canvasLock}: this thread is the canvas's
   * only writer, so its reads are exact, and snapshot readers need not wait for the store. The lock
   * is taken only to apply, hash and publish, and the publication happens before it is released,
   * so a snapshot (and thus {@code GET /canvas}) never shows a pixel the store has not committed
   * nor a seq the broadcaster has not published: a client that fetches the canvas at seq S and
   * resumes with {@code sinceSeq=S} always finds S published. Acks go out under the lock as well,
   * so a painter who reads the canvas after its ack finds its pixel there.
   */
  private List<PixelChange> commit(int n, IntUnaryOperator x, IntUnaryOperator y, IntUnaryOperator color,
      IntFunction<Tool> tool, IntFunction<String> userId, long now, Consumer<List<PixelChange>> durable) {
    List<PixelChange> changes = new ArrayList<>(n);
    long seq = canvas.seq();
    batchColors.clear();
    for (int i = 0; i < n; i++) {
      int px = x.applyAsInt(i);
      int py = y.applyAsInt(i);
      int c = color.applyAsInt(i);
      changes.add(new PixelChange(++seq, px, py, c, batchColors.get(px, py), userId.apply(i), now, tool.apply(i)));
      batchColors.paint(px, py, c);
    }
    try {
      store.append(changes);
    } catch (RuntimeException e) {
      failureLog.failed(n, e);
      throw e;
    }
    failureLog.succeeded();
    synchronized (canvasLock) {
      for (PixelChange change : changes) {
        canvas.apply(change);
      }
      committedSeq = seq;
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
      // The thread has ended, so the repairs' progress is settled and visible here.
      for (Repair repair; (repair = repairs.poll()) != null; ) {
        repair.fail(committedSeq, new IllegalStateException("the server is shutting down"));
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
