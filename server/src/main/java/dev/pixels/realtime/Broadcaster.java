package dev.pixels.realtime;

import io.vertx.core.Context;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Delivers committed batches to this instance's clients, and lets clients join at any seq without
 * a gap or a duplicate.
 *
 * <p>Design. Clients are grouped by event loop ({@link LoopClients}), one group per event-loop
 * thread that has clients: a group is dropped when its last client leaves, so connection churn
 * leaves nothing behind. {@link #publish} encodes a batch once and queues it on every loop; each
 * loop then sends the same bytes to each of its clients, in a round: the batches waiting for the
 * loop, merged into one frame if it fell behind (so a busy loop sends fewer, larger frames instead
 * of queueing without bound), go to its clients a slice at a time ({@link #SESSIONS_PER_SLICE}),
 * and between slices the loop polls its sockets and runs whatever else waits ({@link LoopTurns}),
 * so neither a painter's pixel nor its ack waits behind a whole round. A loop that is behind
 * (batches came in while a round went out) rests as long as that round took before it starts the
 * next, so broadcasting takes at most half of its time however many clients it has: each client's
 * frame rate then falls with the loop's load, its frames grow instead, and reads, acks and the
 * rest of the machine keep their share. A
 * client whose own send queue is full is closed with {@link Session#CLOSE_TOO_SLOW}; it can resume
 * with {@code sinceSeq}. Recent batches are kept (up to a number of pixels) so that a client can
 * resume.
 *
 * <p>Memory. Each frame is encoded once, header and all, into a direct buffer that every connection
 * writes without a copy ({@link EncodedBatch}, {@link SharedFrame}); each client is flushed once per
 * round, not once per frame. What the transport still holds for each client is bounded per
 * client (its send queue) and in total: after each round a loop adds up its clients' send queues
 * ({@link Session#queuedBytes()}, which counts a shared frame in full for every client holding it,
 * so the sum is an upper bound on what they pin), and while the sum over all loops is over {@code
 * sendQueueTotalBytes}, each loop lets go of its clients with the largest queues, in proportion to
 * its part of the sum ({@link Session#shed()}). Without the total, many slow clients could each
 * fill their own queue, and together exhaust the server's direct memory.
 *
 * <p>Concurrency. {@link #publish} is called by one thread at a time. {@link #join} and {@link
 * #leave} run on the session's own event loop. {@code publishLock} makes "read the current seq
 * and the recent batches" in join atomic with respect to publish, and since publish queues work on
 * the loop while holding it, every batch after the joining client's start point reaches it through
 * its loop, after the replay that join writes. Per-session {@code lastSentSeq} drops anything the
 * client already has. Each loop's client list and round are touched only on that loop; its pending
 * queue is guarded by the LoopClients monitor. A round never starts while another is under way
 * ({@code drainScheduled} stays set until it ends), so every client gets its frames in seq order; a
 * client that joins during a round already has that round's seqs.
 */
public final class Broadcaster {
  /** Close code used if a client would otherwise miss a seq; it should resume with sinceSeq. */
  static final short CLOSE_GAP = 1011;
  /** Largest number of pixels merged into one frame when a loop catches up. */
  static final int MAX_MERGED_PIXELS = 10_000;
  /**
   * Clients a loop writes a round of frames to before it lets other queued work run (a painter's
   * ack, reads): an ack then waits for at most one slice of a broadcast, not for the whole round.
   */
  static final int SESSIONS_PER_SLICE = 512;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Broadcaster.class);
  private final BulkUpdateCodec codec;
  private final LongSupplier nanoTime;
  private final int resumeBufferPixels;
  private final ConcurrentHashMap<Thread, LoopClients> loops = new ConcurrentHashMap<>();
  private final AtomicInteger clients = new AtomicInteger();
  private final long sendQueueTotalBytes;
  /** The sum of every loop's {@code queuedBytes} as it last counted them. */
  private final AtomicLong queuedBytes = new AtomicLong();

  private final Object publishLock = new Object();
  private final ArrayDeque<EncodedBatch> recent = new ArrayDeque<>(); // guarded by publishLock
  private long recentPixels; // guarded by publishLock
  private volatile long lastSeq;
  private volatile String lastHash;

  /** Receives the closes of slow clients, for metrics. */
  private volatile Consumer<Session> onSlowClientClosed = s -> {};
  private volatile Consumer<CommittedBatch> onPublished = b -> {};

  private volatile Listener listener = Listener.NONE;

  /**
   * Observes fan-out timing, for metrics: {@link #encoded} on the publishing thread once per batch,
   * {@link #delivered} on each event loop once per frame it sends to its clients.
   */
  public interface Listener {
    Listener NONE = new Listener() {};

    default void encoded(int pixels, long nanos) {}

    default void delivered(int clients, long nanos) {}
  }

  public void listener(Listener listener) {
    this.listener = listener;
  }

  /**
   * A batch with its shared frames: JSON made at once, binary made on first use (racing threads
   * may both make it; the results are equal, so the race is harmless). Each is a whole WebSocket
   * frame that every connection writes as it is ({@link SharedFrame}): a frame costs its size once,
   * however many clients are behind on it, and nothing is encoded, copied or allocated for it per
   * connection but the duplicate that the transport holds while writing it.
   */
  static final class EncodedBatch {
    private final CommittedBatch batch;
    private final SharedFrame json;
    private final BulkUpdateCodec codec;
    private volatile SharedFrame binary;

    EncodedBatch(CommittedBatch batch, BulkUpdateCodec codec) {
      this(batch, codec, SharedFrame.text(codec.encodeJson(batch)));
    }

    private EncodedBatch(CommittedBatch batch, BulkUpdateCodec codec, SharedFrame json) {
      this.batch = batch;
      this.codec = codec;
      this.json = json;
    }

    /**
     * Consecutive batches as one; its JSON is spliced from theirs (a copy of bytes, not a second
     * encoding), which matters on a loop that is behind and merges every round.
     */
    static EncodedBatch merge(List<EncodedBatch> run, BulkUpdateCodec codec) {
      List<CommittedBatch> parts = new ArrayList<>(run.size());
      List<ByteBuffer> payloads = new ArrayList<>(run.size());
      for (EncodedBatch b : run) {
        parts.add(b.batch());
        payloads.add(b.json().payload());
      }
      CommittedBatch merged = CommittedBatch.merge(parts);
      return new EncodedBatch(merged, codec, SharedFrame.text(codec.spliceJson(payloads, merged)));
    }

    CommittedBatch batch() {
      return batch;
    }

    /** The shared JSON frame. */
    SharedFrame json() {
      return json;
    }

    /** The shared binary frame. */
    SharedFrame binary() {
      SharedFrame b = binary;
      if (b == null) {
        b = SharedFrame.binary(codec.encodeBinary(batch));
        binary = b;
      }
      return b;
    }
  }

  /**
   * {@code sendQueueTotalBytes} bounds what all clients' send queues hold together (see the class
   * comment); {@code nanoTime} times the work of each round, which sets how long a loop that is
   * behind rests before the next.
   */
  public Broadcaster(BulkUpdateCodec codec, int resumeBufferPixels, long sendQueueTotalBytes, long startSeq,
      String startHash, LongSupplier nanoTime) {
    this.codec = codec;
    this.nanoTime = nanoTime;
    this.resumeBufferPixels = resumeBufferPixels;
    this.sendQueueTotalBytes = sendQueueTotalBytes;
    this.lastSeq = startSeq;
    this.lastHash = startHash;
  }

  /**
   * Has {@code observer} told of every batch after it is queued for the clients, on the publishing
   * thread, in seq order (the pixel index follows the canvas this way in both modes). Set before
   * the pipeline starts; it must be quick and must not throw.
   */
  public void onPublished(Consumer<CommittedBatch> observer) {
    this.onPublished = observer;
  }

  public void onSlowClientClosed(Consumer<Session> listener) {
    this.onSlowClientClosed = listener;
  }

  /** The seq of the newest batch delivered. */
  public long lastSeq() {
    return lastSeq;
  }

  /** The canvas hash at {@link #lastSeq()}. */
  public String lastHash() {
    return lastHash;
  }

  public int clientCount() {
    return clients.get();
  }

  /** How many event-loop groups exist; at most the number of event loops. */
  int loopCount() {
    return loops.size();
  }

  /** Reports a client closed for a full send queue. */
  void slowClientClosed(Session session) {
    onSlowClientClosed.accept(session);
  }

  /** Delivers {@code batch} to every client; called by one thread at a time, in seq order. */
  public void publish(CommittedBatch batch) {
    long started = nanoTime.getAsLong();
    EncodedBatch encoded = new EncodedBatch(batch, codec);
    listener.encoded(batch.changes().size(), nanoTime.getAsLong() - started);
    synchronized (publishLock) {
      if (batch.fromSeq() != lastSeq + 1) {
        throw new IllegalStateException("batch starts at seq " + batch.fromSeq() + " but the last was " + lastSeq);
      }
      recent.addLast(encoded);
      recentPixels += batch.changes().size();
      while (recentPixels > resumeBufferPixels && !recent.isEmpty()) {
        recentPixels -= recent.removeFirst().batch().changes().size();
      }
      lastSeq = batch.toSeq();
      lastHash = batch.hash();
      for (LoopClients loop : loops.values()) {
        loop.enqueue(encoded);
      }
    }
    onPublished.accept(batch);
  }

  /**
   * Starts over at {@code seq} with {@code hash} after the shared canvas was rebuilt from the store:
   * what clients were shown since may be gone (docs/storage.md), so every client is closed with
   * {@link Session#CLOSE_RESYNC} and, resuming with its last seq, is told to refetch the canvas.
   */
  public void reset(long seq, String hash) {
    synchronized (publishLock) {
      recent.clear();
      recentPixels = 0;
      lastSeq = seq;
      lastHash = hash;
    }
    forEachSession(s -> s.close(Session.CLOSE_RESYNC, "the canvas was restored; reconnect with sinceSeq"));
  }

  /** What a joining client is told first. */
  record JoinState(long seq, String hash, boolean resync) {}

  /**
   * Registers {@code session} and sends it, through {@code sendState}, the state it starts from;
   * then the batches after {@code sinceSeq} if given (negative means none). Must run on the
   * session's event loop.
   */
  void join(Session session, long sinceSeq, Consumer<JoinState> sendState) {
    LoopClients loop = loops.computeIfAbsent(session.loop(), t -> new LoopClients(session.context()));
    List<EncodedBatch> replay = new ArrayList<>();
    JoinState state;
    synchronized (publishLock) {
      long seq = lastSeq;
      boolean resync = false;
      if (sinceSeq >= 0 && sinceSeq < seq) {
        EncodedBatch oldest = recent.peekFirst();
        if (oldest != null && oldest.batch().fromSeq() <= sinceSeq + 1) {
          for (EncodedBatch b : recent) {
            if (b.batch().toSeq() > sinceSeq) {
              replay.add(b);
            }
          }
        } else {
          resync = true;
        }
      } else if (sinceSeq > seq) {
        resync = true; // the client claims a future we never had: only a refetch can reconcile
      }
      state = new JoinState(seq, lastHash, resync);
      session.lastSentSeq = sinceSeq >= 0 && !resync ? sinceSeq : seq;
      loop.add(session);
    }
    clients.incrementAndGet();
    sendState.accept(state);
    for (EncodedBatch b : replay) {
      loop.sendTo(session, b);
    }
    session.flush();
  }

  /**
   * Unregisters {@code session}, and its loop's group if it was the last; must run on its event
   * loop. A publish racing with the removal may still queue a batch on the dropped group, which
   * then sends it to nobody; the next join on this loop makes a new group under {@code
   * publishLock}, so it misses nothing.
   */
  void leave(Session session) {
    LoopClients loop = loops.get(session.loop());
    if (loop != null && loop.remove(session)) {
      clients.decrementAndGet();
      if (loop.isEmpty() && loops.remove(session.loop(), loop)) {
        loop.forgetQueued();
      }
    }
  }

  /** Runs {@code action} for every session, each on its own loop; for pings and shutdown. */
  void forEachSession(Consumer<Session> action) {
    for (LoopClients loop : loops.values()) {
      loop.context.runOnContext(v -> loop.forEach(action));
    }
  }

  /**
   * Sends one JSON text message to every client, each loop encoding it once; for rare events such
   * as moderation notices. Callable from any thread.
   */
  public void broadcastText(String json) {
    SharedFrame frame = SharedFrame.text(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    forEachSession(s -> {
      s.sendShared(frame);
      s.flush();
    });
  }

  /** The clients of one event loop, and the batches waiting to be sent to them. */
  private final class LoopClients {
    private final Context context;
    /** Chains the steps of a round, and round to round, with a poll of the sockets between. */
    private final LoopTurns turns;
    private final ArrayList<Session> sessions = new ArrayList<>(); // loop-confined
    private final ArrayList<EncodedBatch> pending = new ArrayList<>(); // guarded by this
    private boolean drainScheduled; // guarded by this
    /** What this loop's clients' send queues held when last counted; loop-confined. */
    private long queued;
    /** True once this group was dropped; its count is no longer part of the total. Loop-confined. */
    private boolean dropped;
    // The round being delivered, all loop-confined: its frames, the clients it goes to, how far it got.
    private final ArrayList<EncodedBatch> roundFrames = new ArrayList<>();
    private Session[] roundSessions = new Session[0];
    private int roundSize;
    private int roundNext;
    private long roundQueued;
    private long roundNanos;

    LoopClients(Context context) {
      this.context = context;
      this.turns = new LoopTurns(context);
    }

    void add(Session s) {
      s.slot = sessions.size();
      sessions.add(s);
    }

    boolean remove(Session s) {
      int slot = s.slot;
      if (slot < 0 || slot >= sessions.size() || sessions.get(slot) != s) {
        return false;
      }
      Session last = sessions.remove(sessions.size() - 1);
      if (last != s) {
        sessions.set(slot, last);
        last.slot = slot;
      }
      s.slot = -1;
      return true;
    }

    boolean isEmpty() {
      return sessions.isEmpty();
    }

    void forEach(Consumer<Session> action) {
      for (Session s : new ArrayList<>(sessions)) {
        action.accept(s);
      }
    }

    void enqueue(EncodedBatch batch) {
      boolean schedule;
      synchronized (this) {
        pending.add(batch);
        schedule = !drainScheduled;
        drainScheduled = true;
      }
      if (schedule) {
        context.runOnContext(v -> drain());
      }
    }

    private void drain() {
      List<EncodedBatch> batches;
      synchronized (this) {
        batches = new ArrayList<>(pending);
        pending.clear();
        // drainScheduled stays true until the round ends: a round never starts over another.
      }
      // Batches that queued up while this loop was busy are merged into frames of a bounded size:
      // fewer frames per client when behind, but never one huge frame.
      int start = 0;
      while (start < batches.size()) {
        int end = start + 1;
        int pixels = batches.get(start).batch().changes().size();
        while (end < batches.size() && pixels + batches.get(end).batch().changes().size() <= MAX_MERGED_PIXELS) {
          pixels += batches.get(end).batch().changes().size();
          end++;
        }
        roundFrames.add(end - start == 1 ? batches.get(start) : EncodedBatch.merge(batches.subList(start, end), codec));
        start = end;
      }
      // The clients as they are now: one that joins during the round already has its frames (it
      // starts at the seq published last), one that leaves is skipped as closing.
      roundSize = sessions.size();
      if (roundSessions.length < roundSize) {
        roundSessions = new Session[Math.max(roundSize, roundSessions.length * 2)];
      }
      sessions.toArray(roundSessions);
      roundNext = 0;
      roundQueued = 0;
      roundNanos = 0;
      deliverSlice();
    }

    /**
     * Writes the round's frames to the next {@link #SESSIONS_PER_SLICE} clients, each flushed once,
     * then lets the loop read its sockets and run what queued meanwhile (acks) before the next
     * slice ({@link LoopTurns}).
     */
    private void deliverSlice() {
      long started = nanoTime.getAsLong();
      int end = Math.min(roundSize, roundNext + SESSIONS_PER_SLICE);
      for (int i = roundNext; i < end; i++) {
        Session s = roundSessions[i];
        roundSessions[i] = null;
        for (int f = 0; f < roundFrames.size(); f++) {
          EncodedBatch frame = roundFrames.get(f);
          try {
            sendTo(s, frame);
          } catch (RuntimeException e) {
            // One broken connection must not cost the others their update.
            log.warn("could not send seq {}..{} to {}", frame.batch().fromSeq(), frame.batch().toSeq(),
                s.connectionId(), e);
            s.close(CLOSE_GAP, "internal error: reconnect with sinceSeq=" + s.lastSentSeq);
          }
        }
        s.flush();
        roundQueued += s.queuedBytes();
      }
      roundNext = end;
      roundNanos += nanoTime.getAsLong() - started;
      if (roundNext < roundSize) {
        turns.next(this::deliverSlice);
      } else {
        endRound();
      }
    }

    /** Counts what the round left queued, lets go of clients if over the total, and starts the next. */
    private void endRound() {
      if (!dropped) {
        long total = queuedBytes.addAndGet(roundQueued - queued);
        queued = roundQueued;
        if (total > sendQueueTotalBytes) {
          shed(total);
        }
      }
      listener.delivered(roundSize, roundNanos);
      roundFrames.clear();
      boolean more;
      synchronized (this) {
        more = !pending.isEmpty();
        drainScheduled = more;
      }
      if (more) {
        // Behind: batches came in while this round went out. Resting as long as the round took
        // keeps the loop's broadcast work to half its time, so reads, acks and the rest of the
        // machine keep their share; what arrives meanwhile goes out merged in the next round.
        turns.later(roundNanos, this::drain);
      }
    }

    /**
     * Lets go of this loop's clients with the largest send queues until this loop has given up its
     * part of the excess over the total bound: {@code queued / total} of it, so that loops do not
     * all shed the whole excess. Rare, so it may allocate.
     */
    private void shed(long total) {
      long excess = (long) Math.ceil((double) (total - sendQueueTotalBytes) * queued / total);
      int n = sessions.size();
      // Queue size in the high bits, slot in the low 24: one sort orders slots by queue size.
      long[] bySize = new long[n];
      int count = 0;
      for (int i = 0; i < n; i++) {
        long q = sessions.get(i).queuedBytes();
        if (q > 0) {
          bySize[count++] = (q << 24) | i;
        }
      }
      Arrays.sort(bySize, 0, count);
      // Picked before any is let go: a reset may end a connection, and so reorder the list, at once.
      List<Session> victims = new ArrayList<>();
      long freed = 0;
      for (int k = count - 1; k >= 0 && freed < excess; k--) {
        victims.add(sessions.get((int) (bySize[k] & 0xFF_FFFF)));
        freed += bySize[k] >>> 24;
      }
      // Not a warning: under a flood of slow clients this happens every round; the slow-client
      // close count shows it.
      log.debug("send queues hold {} bytes in all, over the bound of {}; letting go of the {} clients furthest "
          + "behind on this event loop", total, sendQueueTotalBytes, victims.size());
      for (Session s : victims) {
        s.shed();
      }
    }

    /** Takes this loop's count out of the total when the loop's group is dropped. */
    void forgetQueued() {
      queuedBytes.addAndGet(-queued);
      queued = 0;
      dropped = true;
    }

    /** Sends {@code batch} to {@code s}, minus whatever it already has. Runs on the loop. */
    void sendTo(Session s, EncodedBatch encoded) {
      CommittedBatch batch = encoded.batch();
      if (s.isClosing() || s.lastSentSeq >= batch.toSeq()) {
        return;
      }
      boolean sent;
      if (s.lastSentSeq + 1 == batch.fromSeq()) {
        sent = send(s, encoded);
      } else if (s.lastSentSeq + 1 < batch.fromSeq()) {
        // Unreachable by construction (see the class comment); if it ever happens, a resume is
        // the only way to keep the client's canvas exact.
        s.close(CLOSE_GAP, "missed seq " + (s.lastSentSeq + 1) + ": reconnect with sinceSeq=" + s.lastSentSeq);
        return;
      } else {
        sent = send(s, new EncodedBatch(batch.after(s.lastSentSeq), codec));
      }
      if (sent) {
        s.lastSentSeq = batch.toSeq();
      }
    }

    /** False if the session did not take the frame (closing, or closed now for a full queue). */
    private boolean send(Session s, EncodedBatch encoded) {
      return s.sendShared(s.wantsBinary() ? encoded.binary() : encoded.json());
    }
  }
}
