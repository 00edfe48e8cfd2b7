package dev.pixels.bench;

import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;

/** One WebSocket connection of the generator: a watcher, or a painter (which also receives). */
final class Conn {
  final int id;
  final boolean painter;
  /** Parses every pixel of every batch to time it (a subset of watchers). */
  final boolean sampled;
  /** Index of its server in {@link Options#urls}. */
  final int target;

  WebSocket ws;
  long connectStartNanos;
  /** Completed on the first canvas:state, or failed. */
  Promise<Void> ready;
  boolean isReady;
  boolean closedByUs;
  boolean closed;
  /** Last seq this connection has seen (canvas:state seq, then each batch's toSeq); -1 before. */
  long lastSeq = -1;

  // Reassembly of fragmented messages (a batch larger than the server's max frame size).
  byte[] partial;
  int partialLen;
  boolean partialBinary;

  // Painter state.
  long periodNanos;
  long nextDueNanos;
  long nextId;
  long[] ringTimes;
  long[] ringIds;
  int outstanding;

  // Prefill (canvas profile): pixels still to send, and answers still to come.
  long prefillToSend;
  long prefillToAnswer;
  Promise<Void> prefillDone;

  Conn(int id, boolean painter, boolean sampled) {
    this(id, painter, sampled, 0);
  }

  Conn(int id, boolean painter, boolean sampled, int target) {
    this.id = id;
    this.painter = painter;
    this.sampled = sampled;
    this.target = target;
  }

  void initRing(int size) {
    int n = Integer.highestOneBit(Math.max(2, size - 1)) << 1;
    ringTimes = new long[n];
    ringIds = new long[n];
  }
}
