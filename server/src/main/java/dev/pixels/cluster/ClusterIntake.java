package dev.pixels.cluster;

import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.CanvasEditor.IncompleteEdit;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.realtime.BatchListener;
import dev.pixels.realtime.PixelIntake;
import dev.pixels.realtime.PixelRequest;
import dev.pixels.realtime.RejectReason;
import dev.pixels.realtime.RepairPace;
import dev.pixels.realtime.Replies;
import dev.pixels.realtime.Verdict;
import dev.pixels.storage.StoreException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts pixels for the shared canvas: sequences each with one Redis script call, and answers it
 * once the cluster's log writer has stored its entry and raised the commit mark past it, which
 * this instance's replica reports through {@link #storedThrough}.
 *
 * <p>One named thread, {@code pixels-redis-intake}, takes what the event loops queued and sends one
 * accept script per pixel, all of them pipelined, then waits for the replies; a pixel Redis refused
 * (rate limit, no canvas, a backlog the store has not caught up with, Redis unreachable) is
 * answered at once, and a sequenced one waits in {@code waiting}, in seq order. The replica thread
 * acknowledges from the front of it as the mark rises; the intake thread rejects, {@code
 * unavailable}, a pixel still waiting at its durability deadline (it may yet be stored and shown:
 * docs/storage.md). A pixel sequenced in an epoch Redis has since lost is never acknowledged: the
 * mark that passes it belongs to another canvas.
 *
 * <p>Bounds: at most {@code capacity} pixels are between {@link #offer} and their answer, counted
 * by {@code inFlight}; beyond that {@link #offer} returns false and the socket rejects the pixel.
 *
 * <p>Each sequenced pixel is answered once, by whichever thread claims it first ({@link
 * Waiting#claim}), so an ack and a late rejection never both go out. Stopping ({@link #stop}) is
 * bounded by the caller's deadline: the waits on Redis and on the mark are cut to it, and what is
 * unanswered then is rejected.
 */
final class ClusterIntake implements PixelIntake, CanvasEditor, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterIntake.class);
  private static final int MAX_PIPELINE = 5_000;
  /**
   * Most edits of a repair sequenced at a time. Each chunk is stored before the next is sequenced,
   * so a painter's pixel waits for at most one chunk ahead of it in the log.
   */
  static final int REPAIR_CHUNK_PIXELS = 500;
  /** Fewest edits of a repair sequenced at a time, so a repair always moves on. */
  static final int MIN_REPAIR_CHUNK_PIXELS = 50;
  /**
   * How long sequencing and storing one chunk may take before the next chunk shrinks. A painter's
   * pixel that arrives behind a chunk waits for about two of them (the one being stored and the one
   * stored with it), so this bounds the wait a repair adds to an ack whatever the store's speed.
   */
  static final Duration REPAIR_CHUNK_BUDGET = Duration.ofMillis(75);

  private final RedisCanvas redis;
  private final Replies replies;
  private final SharedRateLimit limit;
  private final int width;
  private final Duration durabilityTimeout;
  private final Duration commandTimeout;
  private final int capacity;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Sequenced pixels and edits not answered yet, in the order Redis sequenced them. */
  private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
  private volatile BatchListener listener = BatchListener.NONE;
  /** {@link System#nanoTime()} by which {@link #stop} must be done; meaningful once {@code running} is false. */
  private volatile long stopDeadlineNanos;
  private final ArrayBlockingQueue<PixelRequest> incoming;
  private final Thread intakeThread;
  private volatile boolean running = true;
  /**
   * Held from sending accept scripts to queueing their results in {@code waiting}, by the intake
   * thread and by {@link #apply}: Redis runs one connection's commands in the order sent, so this
   * keeps {@code waiting} in seq order.
   */
  private final ReentrantLock sequencing = new ReentrantLock();

  /** A pixel Redis sequenced, waiting for the commit mark of its epoch to pass it. */
  private sealed interface Waiting {
    PixelChange change();

    String epoch();

    long deadlineNanos();

    AtomicBoolean answered();

    /** True for the one caller that may answer this pixel. */
    default boolean claim() {
      return answered().compareAndSet(false, true);
    }
  }

  /** A client's pixel, answered through {@link Replies}. */
  private record Painted(PixelRequest request, PixelChange change, String epoch, long deadlineNanos,
      long sequencedNanos, AtomicBoolean answered) implements Waiting {}

  /** A server-made edit, whose future completes when it is stored. */
  private record Repair(CompletableFuture<Void> stored, PixelChange change, String epoch, long deadlineNanos,
      AtomicBoolean answered) implements Waiting {}

  ClusterIntake(RedisCanvas redis, Replies replies, SharedRateLimit limit, int width, int capacity,
      Duration durabilityTimeout, Duration commandTimeout) {
    this.redis = redis;
    this.replies = replies;
    this.limit = limit;
    this.width = width;
    this.capacity = capacity;
    this.durabilityTimeout = durabilityTimeout;
    this.commandTimeout = commandTimeout;
    this.incoming = new ArrayBlockingQueue<>(capacity);
    this.intakeThread = new Thread(this::intakeLoop, "pixels-redis-intake");
    // Once stop has given up on it, nothing it still does is answered; it must not hold the JVM.
    intakeThread.setDaemon(true);
  }

  /** Reports acknowledged and refused pixels to {@code listener} (metrics). */
  void listener(BatchListener listener) {
    this.listener = listener;
  }

  void start() {
    intakeThread.start();
  }

  @Override
  public boolean offer(PixelRequest request) {
    if (!running || inFlight.incrementAndGet() > capacity) {
      inFlight.decrementAndGet();
      return false;
    }
    incoming.add(request); // cannot fail: inFlight <= capacity
    return true;
  }

  private void answered(int pixels) {
    inFlight.addAndGet(-pixels);
  }

  private void intakeLoop() {
    List<PixelRequest> batch = new ArrayList<>();
    while (running || !incoming.isEmpty()) {
      try {
        PixelRequest first = incoming.poll(100, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          incoming.drainTo(batch, MAX_PIPELINE - 1);
          sequence(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("the intake failed on a batch of {} pixels; they were rejected", batch.size(), e);
        reject(batch, RejectReason.UNAVAILABLE, "the server could not sequence this pixel", 1000);
      } finally {
        batch.clear();
      }
      expire(System.nanoTime());
    }
  }

  private void sequence(List<PixelRequest> batch) {
    sequencing.lock();
    try {
      sequenceInOrder(batch);
    } finally {
      sequencing.unlock();
    }
  }

  private void sequenceInOrder(List<PixelRequest> batch) {
    List<Future<List<Object>>> replies = new ArrayList<>(batch.size());
    for (PixelRequest r : batch) {
      replies.add(send(r));
    }
    List<PixelRequest> unavailable = new ArrayList<>();
    List<PixelRequest> backlog = new ArrayList<>();
    boolean scriptsMissing = false;
    long now = System.nanoTime();
    long deadline = now + durabilityTimeout.toNanos();
    for (int i = 0; i < batch.size(); i++) {
      PixelRequest request = batch.get(i);
      try {
        switch (RedisCanvas.parseAccepted(replies.get(i).get(waitNanos(), TimeUnit.NANOSECONDS))) {
          case RedisCanvas.Accepted.Ok ok -> waiting.add(new Painted(request, new PixelChange(ok.seq(),
              request.x(), request.y(), request.color(), ok.previousColor(), request.userId(), ok.timestampMillis(),
              request.tool()), ok.epoch(), deadline, now, new AtomicBoolean()));
          case RedisCanvas.Accepted.RateLimited rate -> reject(List.of(request), RejectReason.RATE_LIMITED,
              "rate limit reached; wait " + rate.retryAfterMs() + " ms", rate.retryAfterMs());
          // The stream reader notices the missing canvas on its next tick and rebuilds it.
          case RedisCanvas.Accepted.NotReady notReady -> unavailable.add(request);
          case RedisCanvas.Accepted.Backlog full -> backlog.add(request);
          case RedisCanvas.Accepted.Skipped skipped -> unavailable.add(request); // only edits are conditional
        }
      } catch (ExecutionException e) {
        scriptsMissing |= e.getCause() instanceof RedisNoScriptException;
        redis.commandFailed();
        unavailable.add(request);
      } catch (TimeoutException | RuntimeException e) {
        redis.commandFailed();
        unavailable.add(request);
      } catch (InterruptedException e) {
        // stop gave up waiting: every reply not in yet is answered unavailable, at once.
        Thread.currentThread().interrupt();
        unavailable.add(request);
      }
    }
    if (!unavailable.isEmpty()) {
      reject(unavailable, RejectReason.UNAVAILABLE, "the shared canvas is unreachable; try again shortly", 1000);
    }
    if (!backlog.isEmpty()) {
      reject(backlog, RejectReason.UNAVAILABLE, "the pixel store is behind; try again shortly", 1000);
    }
    if (scriptsMissing) {
      redis.loadScripts(); // Redis restarted and forgot them; the next pixels will find them
    }
  }

  /**
   * How long to wait for one Redis reply: the command timeout, cut to what is left of the stop
   * deadline once stopping (zero then means only replies already in are taken).
   */
  private long waitNanos() {
    long wait = commandTimeout.toNanos();
    return running ? wait : Math.max(0, Math.min(wait, stopDeadlineNanos - System.nanoTime()));
  }

  private Future<List<Object>> send(PixelRequest r) {
    try {
      return redis.acceptAsync(r.y() * width + r.x(), r.color(), r.userId(), r.tool().wireName(), r.x(), r.y(),
          limit, r.painter().isAdmin());
    } catch (RedisException e) {
      // Not connected since start: answered unavailable below, like a command that failed.
      return CompletableFuture.failedFuture(e);
    }
  }

  private void reject(List<PixelRequest> requests, RejectReason reason, String message, long retryAfterMs) {
    replies.reject(requests, new Verdict.Rejection(reason, message, retryAfterMs));
    answered(requests.size());
    listener.rejected(requests.size(), reason);
  }

  /**
   * Answers everything waiting that the commit mark of {@code epoch} has passed: the replica calls
   * this after showing the stored entries through {@code seq}. Pixels of another epoch are left
   * to their deadline.
   */
  void storedThrough(String epoch, long seq) {
    List<Painted> painted = new ArrayList<>();
    long oldest = Long.MAX_VALUE;
    for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
      Waiting w = it.next();
      if (!w.epoch().equals(epoch)) {
        continue;
      }
      if (w.change().seq() > seq) {
        break;
      }
      it.remove();
      if (!w.claim()) {
        continue;
      }
      switch (w) {
        case Painted p -> {
          painted.add(p);
          oldest = Math.min(oldest, p.sequencedNanos());
        }
        case Repair r -> r.stored().complete(null);
      }
    }
    if (!painted.isEmpty()) {
      List<PixelRequest> requests = painted.stream().map(Painted::request).toList();
      replies.ack(requests, i -> painted.get(i).change().seq());
      answered(requests.size());
      listener.acknowledged(requests);
    }
  }

  /** Rejects what is still waiting at its deadline, or at the stop deadline once stopping. */
  private void expire(long now) {
    boolean stopDue = !running && now - stopDeadlineNanos > 0;
    List<Waiting> expired = new ArrayList<>();
    for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
      Waiting w = it.next();
      if (stopDue || now - w.deadlineNanos() > 0) {
        it.remove();
        expired.add(w);
      }
    }
    if (!expired.isEmpty()) {
      fail(expired, "the store did not confirm the pixel in time; it may not persist");
    }
  }

  /** Rejects the pixels of {@code batch} not answered yet, and fails its edits. */
  private void fail(List<Waiting> batch, String message) {
    List<PixelRequest> clients = new ArrayList<>();
    for (Waiting w : batch) {
      if (!w.claim()) {
        continue;
      }
      switch (w) {
        case Painted p -> clients.add(p.request());
        case Repair r -> r.stored().completeExceptionally(new StoreException(message));
      }
    }
    if (!clients.isEmpty()) {
      reject(clients, RejectReason.UNAVAILABLE, message, 1000);
    }
  }

  /**
   * Server-made edits (rollback, rewind) through the same accept script as painted pixels, exempt
   * from rate limits and conditional on {@link Edit#expectedColor()}, a chunk at a time: the next
   * chunk is sequenced only once the previous one is stored, so a painter's pixel never waits for
   * more than one chunk ahead of it in the log. Chunks shrink while one takes longer than {@link
   * #REPAIR_CHUNK_BUDGET} to store and grow back while they fit ({@link RepairPace}), so that wait
   * follows the store's speed. Completes once the last chunk is stored; if one cannot be sequenced or stored, completes
   * with an {@link IncompleteEdit} counting the edits that were stored before (and any of that
   * chunk that were). Blocks the calling thread meanwhile: the moderation thread, never an event loop.
   */
  @Override
  public CompletableFuture<EditResult> apply(List<Edit> edits, String userId, Tool tool) {
    if (!running) {
      return CompletableFuture.failedFuture(new IllegalStateException("the server is shutting down"));
    }
    int changed = 0;
    long from = 0;
    long to = 0;
    RepairPace pace = new RepairPace(MIN_REPAIR_CHUNK_PIXELS, REPAIR_CHUNK_PIXELS, REPAIR_CHUNK_BUDGET.toNanos());
    for (int start = 0; start < edits.size(); ) {
      List<Edit> chunk = edits.subList(start, Math.min(edits.size(), start + pace.chunk()));
      start += chunk.size();
      long chunkStart = System.nanoTime();
      List<PendingEdit> pending = new ArrayList<>(chunk.size());
      RuntimeException failure = null;
      try {
        sequenceEdits(chunk, userId, tool, pending);
      } catch (RuntimeException e) {
        failure = e;
      }
      for (PendingEdit edit : pending) {
        try {
          edit.stored().join(); // completed by the replica, or failed at its deadline by the intake thread
        } catch (CompletionException | CancellationException e) {
          failure = failure != null ? failure : new StoreException(e.getCause() != null ? e.getCause().getMessage()
              : e.getMessage(), e);
          continue;
        }
        from = changed == 0 ? edit.change().seq() : Math.min(from, edit.change().seq());
        to = Math.max(to, edit.change().seq());
        changed++;
      }
      pace.committed(chunk.size(), System.nanoTime() - chunkStart);
      if (failure != null) {
        // Redis may be what failed, so the empty result does not ask it for the current seq.
        EditResult applied = changed == 0 ? new EditResult(0, 0, -1) : new EditResult(changed, from, to);
        return CompletableFuture.failedFuture(new IncompleteEdit(applied, edits.size(), failure));
      }
    }
    if (changed == 0) {
      long seq = redis.seq();
      return CompletableFuture.completedFuture(new EditResult(0, seq + 1, seq));
    }
    return CompletableFuture.completedFuture(new EditResult(changed, from, to));
  }

  /** A server-made edit Redis sequenced, and the future its log entry's storage completes. */
  private record PendingEdit(PixelChange change, CompletableFuture<Void> stored) {}

  /**
   * Sequences {@code chunk}, pipelined, adding each applied edit to {@code pending} as soon as it
   * waits for the commit mark, so that a failure part-way leaves {@code pending} exact.
   */
  private void sequenceEdits(List<Edit> chunk, String userId, Tool tool, List<PendingEdit> pending) {
    sequencing.lock();
    try {
      List<RedisFuture<List<Object>>> results = new ArrayList<>(chunk.size());
      for (Edit e : chunk) {
        results.add(redis.acceptAsync(e.y() * width + e.x(), e.color(), userId, tool.wireName(), e.x(), e.y(),
            limit, true, e.expectedColor()));
      }
      long deadline = System.nanoTime() + durabilityTimeout.toNanos();
      for (int i = 0; i < chunk.size(); i++) {
        Edit e = chunk.get(i);
        switch (RedisCanvas.parseAccepted(results.get(i).get(waitNanos(), TimeUnit.NANOSECONDS))) {
          case RedisCanvas.Accepted.Ok ok -> {
            PixelChange change = new PixelChange(ok.seq(), e.x(), e.y(), e.color(), ok.previousColor(), userId,
                ok.timestampMillis(), tool);
            CompletableFuture<Void> done = new CompletableFuture<>();
            waiting.add(new Repair(done, change, ok.epoch(), deadline, new AtomicBoolean()));
            pending.add(new PendingEdit(change, done));
          }
          case RedisCanvas.Accepted.Skipped skipped -> { } // repainted since the repair looked
          case RedisCanvas.Accepted.RateLimited rate -> throw new IllegalStateException("an exempt edit was rate limited");
          case RedisCanvas.Accepted.NotReady notReady ->
              throw new StoreException("the shared canvas is being rebuilt; repeat the repair shortly");
          case RedisCanvas.Accepted.Backlog full ->
              throw new StoreException("the pixel store is behind; repeat the repair shortly");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while sequencing a repair", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new StoreException("the shared canvas is unreachable; repeat the repair shortly", e);
    } finally {
      sequencing.unlock();
    }
  }

  /** Pixels taken by {@link #offer} and not answered yet: waiting for Redis or for the store. */
  int pendingPixels() {
    return inFlight.get();
  }

  /**
   * Stops taking pixels and answers every one already taken by {@code deadlineNanos} ({@link
   * System#nanoTime()}): those the commit mark passes by then are acknowledged (the replica and,
   * on the writing instance, the log writer must run until this returns), the others rejected
   * {@code unavailable} (such a pixel may still be stored and shown: docs/storage.md). Returns
   * false if some had to be rejected so.
   */
  boolean stop(long deadlineNanos) {
    stopDeadlineNanos = deadlineNanos;
    running = false;
    try {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) {
        intakeThread.join(Duration.ofNanos(left));
      }
      while (!waiting.isEmpty() && deadlineNanos - System.nanoTime() > 0) {
        Thread.sleep(5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (intakeThread.isAlive()) {
      intakeThread.interrupt(); // a Redis wait in progress; its pixels are answered unavailable
    }
    // Offers that raced with running going false, or that the intake thread did not reach in time.
    List<PixelRequest> queued = new ArrayList<>();
    incoming.drainTo(queued);
    if (!queued.isEmpty()) {
      reject(queued, RejectReason.UNAVAILABLE, "the server is shutting down", 1000);
    }
    List<Waiting> left = new ArrayList<>(waiting);
    waiting.clear();
    if (left.isEmpty()) {
      return true;
    }
    log.warn("the pixel store did not confirm {} sequenced pixels before the shutdown deadline; they were rejected "
        + "and may still persist", left.size());
    fail(left, "the server is shutting down; the pixel may not persist");
    return false;
  }

  /** Stops as {@link #stop} does, allowing the durability timeout. */
  @Override
  public void close() {
    stop(System.nanoTime() + durabilityTimeout.toNanos());
  }
}
