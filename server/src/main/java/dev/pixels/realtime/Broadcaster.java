package dev.pixels.realtime;

import io.vertx.core.Context;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Delivers committed batches to this instance's clients, and lets clients join at any seq without
 * a gap or a duplicate.
 *
 * <p>Design. Clients are grouped by event loop ({@link LoopClients}). {@link #publish} encodes a
 * batch once and queues it on every loop; each loop then sends the same bytes to each of its
 * clients. If a loop falls behind, the batches waiting for it are merged into one frame when it
 * gets to them, so a busy loop sends fewer, larger frames instead of queueing without bound. A
 * client whose own send queue is full is closed with {@link Session#CLOSE_TOO_SLOW}; it can resume
 * with {@code sinceSeq}. Recent batches are kept (up to a number of pixels) so that a client can
 * resume.
 *
 * <p>Concurrency. {@link #publish} is called by one thread at a time. {@link #join} and {@link
 * #leave} run on the session's own event loop. {@code publishLock} makes "read the current seq
 * and the recent batches" in join atomic with respect to publish, and since publish queues work on
 * the loop while holding it, every batch after the joining client's start point reaches it through
 * its loop, after the replay that join writes. Per-session {@code lastSentSeq} drops anything the
 * client already has. Each loop's client list is touched only on that loop; its pending queue is
 * guarded by the LoopClients monitor.
 */
public final class Broadcaster {
  /** Close code used if a client would otherwise miss a seq; it should resume with sinceSeq. */
  static final short CLOSE_GAP = 1011;
  private final BulkUpdateCodec codec;
  private final int resumeBufferPixels;
  private final ConcurrentHashMap<Context, LoopClients> loops = new ConcurrentHashMap<>();
  private final AtomicInteger clients = new AtomicInteger();

  private final Object publishLock = new Object();
  private final ArrayDeque<EncodedBatch> recent = new ArrayDeque<>(); // guarded by publishLock
  private long recentPixels; // guarded by publishLock
  private volatile long lastSeq;
  private volatile String lastHash;

  /** Receives the closes of slow clients, for metrics. */
  private volatile Consumer<Session> onSlowClientClosed = s -> {};

  /** A batch with its shared JSON encoding. */
  record EncodedBatch(CommittedBatch batch, byte[] json) {}

  public Broadcaster(BulkUpdateCodec codec, int resumeBufferPixels, long startSeq, String startHash) {
    this.codec = codec;
    this.resumeBufferPixels = resumeBufferPixels;
    this.lastSeq = startSeq;
    this.lastHash = startHash;
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

  /** Delivers {@code batch} to every client; called by one thread at a time, in seq order. */
  public void publish(CommittedBatch batch) {
    EncodedBatch encoded = new EncodedBatch(batch, codec.encodeJson(batch));
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
  }

  /** What a joining client is told first. */
  record JoinState(long seq, String hash, boolean resync) {}

  /**
   * Registers {@code session} and sends it, through {@code sendState}, the state it starts from;
   * then the batches after {@code sinceSeq} if given (negative means none). Must run on the
   * session's event loop.
   */
  void join(Session session, long sinceSeq, Consumer<JoinState> sendState) {
    LoopClients loop = loops.computeIfAbsent(session.context(), LoopClients::new);
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
      loop.sendTo(session, b.batch(), b.json());
    }
  }

  /** Unregisters {@code session}; must run on its event loop. */
  void leave(Session session) {
    LoopClients loop = loops.get(session.context());
    if (loop != null && loop.remove(session)) {
      clients.decrementAndGet();
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
    byte[] utf8 = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    forEachSession(s -> s.sendSharedText(utf8));
  }

  /** The clients of one event loop, and the batches waiting to be sent to them. */
  private final class LoopClients {
    private final Context context;
    private final ArrayList<Session> sessions = new ArrayList<>(); // loop-confined
    private final ArrayList<EncodedBatch> pending = new ArrayList<>(); // guarded by this
    private boolean drainScheduled; // guarded by this

    LoopClients(Context context) {
      this.context = context;
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
        drainScheduled = false;
      }
      CommittedBatch merged;
      byte[] json;
      if (batches.size() == 1) {
        merged = batches.get(0).batch();
        json = batches.get(0).json();
      } else {
        List<CommittedBatch> parts = new ArrayList<>(batches.size());
        for (EncodedBatch b : batches) {
          parts.add(b.batch());
        }
        merged = CommittedBatch.merge(parts);
        json = codec.encodeJson(merged);
      }
      for (int i = sessions.size() - 1; i >= 0; i--) {
        sendTo(sessions.get(i), merged, json);
      }
    }

    /** Sends {@code batch} to {@code s}, minus whatever it already has. Runs on the loop. */
    void sendTo(Session s, CommittedBatch batch, byte[] json) {
      if (s.isClosing() || s.lastSentSeq >= batch.toSeq()) {
        return;
      }
      if (s.sendQueueFull()) {
        s.close(Session.CLOSE_TOO_SLOW, "too slow: reconnect with sinceSeq=" + s.lastSentSeq);
        onSlowClientClosed.accept(s);
        return;
      }
      if (s.lastSentSeq + 1 == batch.fromSeq()) {
        s.sendSharedText(json);
      } else if (s.lastSentSeq + 1 < batch.fromSeq()) {
        // Unreachable by construction (see the class comment); if it ever happens, a resume is
        // the only way to keep the client's canvas exact.
        s.close(CLOSE_GAP, "missed seq " + (s.lastSentSeq + 1) + ": reconnect with sinceSeq=" + s.lastSentSeq);
        return;
      } else {
        s.sendSharedText(codec.encodeJson(batch.after(s.lastSentSeq)));
      }
      s.lastSentSeq = batch.toSeq();
    }
  }
}
