package dev.pixels.cluster;

import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.CanvasEditor.IncompleteEdit;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.realtime.BatchListener;
import dev.pixels.storage.LogOrderException;
import dev.pixels.storage.StoreException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import dev.pixels.realtime.PixelIntake;
import dev.pixels.realtime.PixelRequest;
import dev.pixels.realtime.RejectReason;
import dev.pixels.realtime.Replies;
import dev.pixels.realtime.Verdict;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.StoreBusyException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts pixels for the shared canvas: sequences each with one Redis script call, then stores its
 * log entry in the pixel store, and only then acknowledges it.
 *
 * <p>Two named threads. {@code pixels-redis-intake} takes what the event loops queued and sends one
 * accept script per pixel, all of them pipelined, then waits for the replies; a pixel Redis refused
 * (rate limit, no canvas, Redis unreachable) is answered at once. {@code pixels-durability} writes
 * the accepted pixels in batches (BatchWriteItem on DynamoDB) and acknowledges them; a write that
 * fails is retried with backoff until the pixel's durability deadline, after which it is answered
 * {@code unavailable}: it was broadcast, but a crash may take it back (docs/storage.md). A batch
 * the store refuses as out of log order ({@link LogOrderException}) is not retried: it would be
 * refused again until its deadline.
 *
 * <p>Bounds: at most {@code capacity} pixels are between {@link #offer} and their answer, counted
 * by {@code inFlight}; beyond that {@link #offer} returns false and the socket rejects the pixel.
 *
 * <p>Stopping ({@link #stop}) is bounded by the caller's deadline: waits on Redis and the pixels'
 * durability deadlines are cut to it, and a store call still running then is abandoned; the
 * stopping thread answers what is left. Each sequenced pixel is answered once, by whichever thread
 * claims it first ({@link Sequenced#claim}), so an ack and a late rejection never both go out.
 */
final class ClusterIntake implements PixelIntake, CanvasEditor, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterIntake.class);
  private static final int MAX_PIPELINE = 5_000;
  private static final int MAX_WRITE_BATCH = 1_000;
  /**
   * Edits of a repair sequenced at a time. Each chunk is stored before the next is sequenced, so a
   * painter's pixel may wait for this many log entries ahead of it: at a few thousand BatchWriteItem
   * entries a second, a chunk is stored in well under the time a painter notices.
   */
  static final int REPAIR_CHUNK_PIXELS = 500;

  private final RedisCanvas redis;
  private final PixelStore store;
  private final Replies replies;
  private final SharedRateLimit limit;
  private final int width;
  private final Duration durabilityTimeout;
  private final Duration commandTimeout;
  private final int capacity;
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Sequenced pixels not yet answered, for the stopping thread to answer if the writer cannot. */
  private final Set<Sequenced> unanswered = ConcurrentHashMap.newKeySet();
  private volatile BatchListener listener = BatchListener.NONE;
  /** {@link System#nanoTime()} by which {@link #stop} must be done; meaningful once {@code running} is false. */
  private volatile long stopDeadlineNanos;
  /** Set when {@link #stop} gave up waiting: the writer's threads answer nothing more. */
  private volatile boolean abandoned;
  private final ArrayBlockingQueue<PixelRequest> incoming;
  private final LinkedBlockingQueue<Sequenced> accepted = new LinkedBlockingQueue<>(); // bounded by inFlight
  private final Thread intakeThread;
  private final Thread durabilityThread;
  private volatile boolean running = true;
  /**
   * Held from sending accept scripts to queueing their results for the durability writer, by the
   * intake thread and by {@link #apply}: Redis runs one connection's commands in the order sent,
   * so this keeps {@code accepted} in seq order, which the store's append requires.
   */
  private final ReentrantLock sequencing = new ReentrantLock();

  /**
   * A pixel Redis sequenced, waiting for its log entry to be stored: a client's ({@code request}
   * set, answered through {@link Replies}) or a server-made edit ({@code edit} set, completed).
   */
  private record Sequenced(PixelRequest request, CompletableFuture<Void> edit, PixelChange change,
      long deadlineNanos, AtomicBoolean answered) {
    Sequenced(PixelRequest request, CompletableFuture<Void> edit, PixelChange change, long deadlineNanos) {
      this(request, edit, change, deadlineNanos, new AtomicBoolean());
    }

    /** True for the one caller that may answer this pixel. */
    boolean claim() {
      return answered.compareAndSet(false, true);
    }
  }

  ClusterIntake(RedisCanvas redis, PixelStore store, Replies replies, SharedRateLimit limit, int width,
      int capacity, Duration durabilityTimeout, Duration commandTimeout) {
    this.redis = redis;
    this.store = store;
    this.replies = replies;
    this.limit = limit;
    this.width = width;
    this.capacity = capacity;
    this.durabilityTimeout = durabilityTimeout;
    this.commandTimeout = commandTimeout;
    this.incoming = new ArrayBlockingQueue<>(capacity);
    this.intakeThread = new Thread(this::intakeLoop, "pixels-redis-intake");
    this.durabilityThread = new Thread(this::durabilityLoop, "pixels-durability");
    // Once stop has given up on them, nothing they still do is answered; they must not hold the JVM.
    intakeThread.setDaemon(true);
    durabilityThread.setDaemon(true);
  }

  /** Reports stored, failed and refused pixels to {@code listener} (metrics). */
  void listener(BatchListener listener) {
    this.listener = listener;
  }

  void start() {
    intakeThread.start();
    durabilityThread.start();
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
    while (!abandoned && (running || !incoming.isEmpty())) {
      try {
        PixelRequest first = incoming.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        incoming.drainTo(batch, MAX_PIPELINE - 1);
        sequence(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("the intake failed on a batch of {} pixels; they were rejected", batch.size(), e);
        reject(batch, RejectReason.UNAVAILABLE, "the server could not sequence this pixel", 1000);
      } finally {
        batch.clear();
      }
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
    boolean scriptsMissing = false;
    long deadline = System.nanoTime() + durabilityTimeout.toNanos();
    for (int i = 0; i < batch.size(); i++) {
      PixelRequest request = batch.get(i);
      try {
        switch (RedisCanvas.parseAccepted(replies.get(i).get(waitNanos(), TimeUnit.NANOSECONDS))) {
          case RedisCanvas.Accepted.Ok ok -> queueForStore(new Sequenced(request, null, new PixelChange(ok.seq(),
              request.x(), request.y(), request.color(), ok.previousColor(), request.userId(), ok.timestampMillis(),
              request.tool()), deadline));
          case RedisCanvas.Accepted.RateLimited rate -> reject(List.of(request), RejectReason.RATE_LIMITED,
              "rate limit reached; wait " + rate.retryAfterMs() + " ms", rate.retryAfterMs());
          // The stream reader notices the missing canvas on its next tick and rebuilds it.
          case RedisCanvas.Accepted.NotReady notReady -> unavailable.add(request);
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

  /** Hands a sequenced pixel to the durability writer, or answers it if {@link #stop} has given up. */
  private void queueForStore(Sequenced s) {
    unanswered.add(s);
    accepted.add(s);
    if (abandoned) {
      // stop may have swept before this pixel was added; whichever of us claims it answers it.
      rejectSequenced(new ArrayList<>(List.of(s)), "the server is shutting down; the pixel may not persist");
    }
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

  private void durabilityLoop() {
    List<Sequenced> batch = new ArrayList<>();
    long backoffMs = 0;
    while (!abandoned && (running || !accepted.isEmpty() || !batch.isEmpty() || intakeThread.isAlive())) {
      try {
        if (batch.isEmpty()) {
          Sequenced first = accepted.poll(100, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
        }
        accepted.drainTo(batch, MAX_WRITE_BATCH - batch.size());
        batch.sort(Comparator.comparingLong(s -> s.change().seq()));
        dropExpired(batch);
        if (batch.isEmpty()) {
          continue;
        }
        long started = System.nanoTime();
        store.append(batch.stream().map(Sequenced::change).toList());
        long commitNanos = System.nanoTime() - started;
        long earliest = batch.stream().mapToLong(Sequenced::deadlineNanos).min().orElseThrow();
        if (System.nanoTime() > earliest) {
          // Stored, but later than a rebuild after a Redis flush is guaranteed to wait: too late to
          // promise that the canvas kept it.
          rejectSequenced(batch, "the pixel could not be confirmed in time; it may not persist");
        } else {
          acknowledge(batch, commitNanos);
        }
        batch.clear();
        backoffMs = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        rejectSequenced(batch, "the server is shutting down");
        return;
      } catch (LogOrderException e) {
        // The same batch would be refused again until its deadline: answer it now.
        log.error("the store refused {} accepted pixels as out of log order; they were rejected", batch.size(), e);
        listener.failed(0, e);
        rejectSequenced(batch, "the pixel could not be stored");
      } catch (StoreBusyException | StoreException e) {
        listener.failed(0, e);
        backoffMs = Math.min(1000, Math.max(50, backoffMs * 2));
        log.warn("could not store {} accepted pixels; retrying in {} ms: {}", batch.size(), backoffMs, e.getMessage());
        sleep(Math.min(backoffMs, Math.max(0, TimeUnit.NANOSECONDS.toMillis(earliestDeadline(batch) - System.nanoTime()))));
      } catch (RuntimeException e) {
        listener.failed(0, e);
        log.error("the durability writer failed on {} pixels; they were rejected", batch.size(), e);
        rejectSequenced(batch, "the pixel could not be stored");
      }
    }
  }

  /** Acks the painters of a stored batch and completes its edits, each pixel only if still unanswered. */
  private void acknowledge(List<Sequenced> batch, long commitNanos) {
    List<Sequenced> mine = batch.stream().filter(Sequenced::claim).toList();
    mine.forEach(unanswered::remove);
    List<Sequenced> clients = mine.stream().filter(q -> q.request() != null).toList();
    if (!clients.isEmpty()) {
      List<PixelRequest> requests = requests(clients);
      replies.ack(requests, i -> clients.get(i).change().seq());
      answered(clients.size());
      listener.committed(requests, commitNanos);
    }
    mine.stream().filter(q -> q.edit() != null).forEach(q -> q.edit().complete(null));
  }

  /** The earliest time by which a pixel of {@code batch} must be answered, the stop deadline included. */
  private long earliestDeadline(List<Sequenced> batch) {
    long earliest = batch.stream().mapToLong(Sequenced::deadlineNanos).min().orElse(System.nanoTime());
    return running ? earliest : Math.min(earliest, stopDeadlineNanos);
  }

  private void dropExpired(List<Sequenced> batch) {
    long now = System.nanoTime();
    boolean stopDue = !running && now > stopDeadlineNanos;
    List<Sequenced> expired = batch.stream().filter(s -> stopDue || now > s.deadlineNanos()).toList();
    if (!expired.isEmpty()) {
      batch.removeAll(expired);
      rejectSequenced(new ArrayList<>(expired), "the store did not confirm the pixel in time; it may not persist");
    }
  }

  /** Rejects the pixels of {@code batch} not answered yet, and empties it. */
  private void rejectSequenced(List<Sequenced> batch, String message) {
    List<Sequenced> mine = batch.stream().filter(Sequenced::claim).toList();
    batch.clear();
    mine.forEach(unanswered::remove);
    List<PixelRequest> clients = requests(mine);
    if (!clients.isEmpty()) {
      reject(clients, RejectReason.UNAVAILABLE, message, 1000);
    }
    mine.stream().filter(q -> q.edit() != null)
        .forEach(q -> q.edit().completeExceptionally(new StoreException(message)));
  }

  private static List<PixelRequest> requests(List<Sequenced> batch) {
    return batch.stream().map(Sequenced::request).filter(java.util.Objects::nonNull).toList();
  }

  /**
   * Server-made edits (rollback, rewind) through the same accept script as painted pixels, exempt
   * from rate limits and conditional on {@link Edit#expectedColor()}, a chunk of {@link
   * #REPAIR_CHUNK_PIXELS} at a time: the next chunk is sequenced only once the previous one is
   * stored, so a painter's pixel never waits for more than one chunk ahead of it in the durability
   * queue. Completes once the last chunk is stored; if one cannot be sequenced or stored, completes
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
    for (int start = 0; start < edits.size(); start += REPAIR_CHUNK_PIXELS) {
      List<Edit> chunk = edits.subList(start, Math.min(edits.size(), start + REPAIR_CHUNK_PIXELS));
      List<PendingEdit> pending = new ArrayList<>(chunk.size());
      RuntimeException failure = null;
      try {
        sequenceEdits(chunk, userId, tool, pending);
      } catch (RuntimeException e) {
        failure = e;
      }
      for (PendingEdit edit : pending) {
        try {
          edit.stored().join(); // the durability writer completes it, at the latest by its deadline
        } catch (CompletionException | CancellationException e) {
          failure = failure != null ? failure : new StoreException(e.getCause() != null ? e.getCause().getMessage()
              : e.getMessage(), e);
          continue;
        }
        from = changed == 0 ? edit.change().seq() : Math.min(from, edit.change().seq());
        to = Math.max(to, edit.change().seq());
        changed++;
      }
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
   * is queued for the durability writer, so that a failure part-way leaves {@code pending} exact.
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
            queueForStore(new Sequenced(null, done, change, deadline));
            pending.add(new PendingEdit(change, done));
          }
          case RedisCanvas.Accepted.Skipped skipped -> { } // repainted since the repair looked
          case RedisCanvas.Accepted.RateLimited rate -> throw new IllegalStateException("an exempt edit was rate limited");
          case RedisCanvas.Accepted.NotReady notReady ->
              throw new StoreException("the shared canvas is being rebuilt; repeat the repair shortly");
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

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Pixels taken by {@link #offer} and not answered yet: waiting for Redis or for the store. */
  int pendingPixels() {
    return inFlight.get();
  }

  /**
   * Stops taking pixels and answers every one already taken by {@code deadlineNanos} ({@link
   * System#nanoTime()}): those stored by then are acknowledged, the others rejected {@code
   * unavailable} (a rejected pixel may still have been broadcast and stored: docs/storage.md).
   * Returns false if a store call or Redis wait was still running at the deadline and was abandoned.
   */
  boolean stop(long deadlineNanos) {
    stopDeadlineNanos = deadlineNanos;
    running = false;
    try {
      join(intakeThread, deadlineNanos);
      join(durabilityThread, deadlineNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boolean finished = !intakeThread.isAlive() && !durabilityThread.isAlive();
    if (!finished) {
      abandoned = true;
    }
    // Offers that raced with running going false, or that the intake thread did not reach in time.
    List<PixelRequest> waiting = new ArrayList<>();
    incoming.drainTo(waiting);
    if (!waiting.isEmpty()) {
      reject(waiting, RejectReason.UNAVAILABLE, "the server is shutting down", 1000);
    }
    if (finished) {
      return true;
    }
    List<Sequenced> left = new ArrayList<>(unanswered);
    log.warn("the pixel store or redis did not answer before the shutdown deadline; {} accepted pixels were "
        + "rejected and may not persist", left.size());
    rejectSequenced(left, "the server is shutting down; the pixel may not persist");
    // A store or Redis call in progress ends at its own timeout; nothing it does is answered now.
    intakeThread.interrupt();
    durabilityThread.interrupt();
    return false;
  }

  private static void join(Thread thread, long deadlineNanos) throws InterruptedException {
    long left = deadlineNanos - System.nanoTime();
    if (left > 0) {
      thread.join(Duration.ofNanos(left));
    }
  }

  /** Stops as {@link #stop} does, allowing the durability timeout and one more store call. */
  @Override
  public void close() {
    stop(System.nanoTime() + durabilityTimeout.multipliedBy(2).toNanos());
  }
}
