package dev.pixels.bench;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One event loop of the generator. It owns a share of the connections, and every callback of
 * those connections runs on its loop, so its counters need no locks.
 */
final class Worker extends VerticleBase {
  static final String SUBPROTOCOL_BINARY = "pixels.v1.bin";

  private static final byte[] K_TYPE = Scan.key("type");
  private static final byte[] K_FROM = Scan.key("fromSeq");
  private static final byte[] K_TO = Scan.key("toSeq");
  private static final byte[] K_PIXELS = Scan.key("pixels");
  private static final byte[] K_X = Scan.key("x");
  private static final byte[] K_Y = Scan.key("y");
  private static final byte[] K_ID = Scan.key("id");
  private static final byte[] K_SEQ = Scan.key("seq");
  private static final byte[] K_REASON = Scan.key("reason");
  private static final byte[] K_WIDTH = Scan.key("width");
  private static final byte[] K_HEIGHT = Scan.key("height");
  private static final byte[] K_MESSAGE = Scan.key("message");
  private static final byte[] T_BULK = lit("pixel:bulk_update\"");
  private static final byte[] T_ACK = lit("pixel:ack\"");
  private static final byte[] T_REJECT = lit("pixel:reject\"");
  private static final byte[] T_STATE = lit("canvas:state\"");
  private static final byte[] T_HEARTBEAT = lit("heartbeat\"");
  private static final byte[] T_ERROR = lit("error\"");
  private static final String HEARTBEAT = "{\"type\":\"heartbeat\"}";

  final int index;
  final WsLoad load;
  final Stats stats = new Stats();
  final List<Conn> conns = new ArrayList<>();
  private final SplittableRandom random;
  private WebSocketClient client;
  private long heartbeatTick;

  Worker(int index, WsLoad load) {
    this.index = index;
    this.load = load;
    this.random = new SplittableRandom(0x5eed + index);
  }

  io.vertx.core.Context ctx() {
    return context;
  }

  private static byte[] lit(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public Future<?> start() {
    Options o = load.options;
    client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setMaxConnections(o.watchers + o.painters + 16)
                .setMaxFrameSize(16 * 1024 * 1024)
                .setMaxMessageSize(256 * 1024 * 1024)
                .setTryUsePerMessageCompression(false)
                .setTryUsePerFrameCompression(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, o.connectTimeoutMs)));
    if (o.heartbeatMs > 0) {
      vertx.setPeriodic(1000, t -> heartbeats());
    }
    return Future.succeededFuture();
  }

  // ---------------------------------------------------------------- connecting

  /** Connects the given connections with at most {@code concurrency} handshakes in flight. */
  Future<Void> connectAll(List<Conn> list, int concurrency) {
    Promise<Void> done = Promise.promise();
    if (list.isEmpty()) {
      done.complete();
      return done.future();
    }
    int[] next = {0};
    int[] finished = {0};
    Runnable[] startOne = new Runnable[1];
    startOne[0] =
        () -> {
          if (next[0] >= list.size()) {
            return;
          }
          Conn c = list.get(next[0]++);
          connect(c)
              .onComplete(
                  ar -> {
                    finished[0]++;
                    if (finished[0] == list.size()) {
                      done.complete();
                    } else {
                      startOne[0].run();
                    }
                  });
        };
    for (int i = 0; i < Math.min(concurrency, list.size()); i++) {
      startOne[0].run();
    }
    return done.future();
  }

  private Future<Void> connect(Conn c) {
    Options o = load.options;
    conns.add(c);
    c.ready = Promise.promise();
    c.connectStartNanos = System.nanoTime();
    java.net.URI server = o.urls.get(c.target);
    WebSocketConnectOptions co =
        new WebSocketConnectOptions()
            .setHost(server.getHost())
            .setPort(Options.port(server))
            .setURI("/ws")
            .setTimeout(o.connectTimeoutMs);
    if (o.binary) {
      co.addSubProtocol(SUBPROTOCOL_BINARY);
    }
    client
        .connect(co)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                stats.connectFailures++;
                if (stats.firstConnectFailure == null) {
                  stats.firstConnectFailure = String.valueOf(ar.cause());
                }
                c.closed = true;
                c.ready.tryFail(ar.cause());
                return;
              }
              WebSocket ws = ar.result();
              c.ws = ws;
              ws.frameHandler(f -> onFrame(c, f));
              ws.exceptionHandler(
                  t -> {
                    if (stats.firstError == null) {
                      stats.firstError = "exception: " + t;
                    }
                  });
              ws.closeHandler(v -> onClose(c));
            });
    // A handshake that never yields a canvas:state is a failure too.
    long timer =
        vertx.setTimer(
            o.connectTimeoutMs,
            t -> {
              if (c.ready.tryFail("no canvas:state within the connect timeout")) {
                stats.connectFailures++;
                if (stats.firstConnectFailure == null) {
                  stats.firstConnectFailure = "no canvas:state within the connect timeout";
                }
              }
            });
    return c.ready.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private void onClose(Conn c) {
    c.closed = true;
    if (c.prefillDone != null && !c.closedByUs) {
      c.prefillDone.tryFail(
          "prefill connection closed by the server: " + c.ws.closeStatusCode() + " " + c.ws.closeReason());
    }
    if (!c.isReady) {
      c.ready.tryFail("closed before canvas:state");
    }
    if (!c.closedByUs) {
      stats.dropped++;
      Short code = c.ws.closeStatusCode();
      String reason = c.ws.closeReason();
      stats.addReason(
          stats.dropReasons,
          (code == null ? "no-code" : code.toString()) + (reason == null ? "" : " " + reason));
    }
  }

  // ---------------------------------------------------------------- receiving

  private void onFrame(Conn c, WebSocketFrame f) {
    WebSocketFrameType type = f.type();
    if (type != WebSocketFrameType.TEXT
        && type != WebSocketFrameType.BINARY
        && type != WebSocketFrameType.CONTINUATION) {
      return; // ping/pong/close: Vert.x answers pings itself
    }
    long now = System.nanoTime();
    Buffer data = f.binaryData();
    int len = data.length();
    boolean counting = load.inWindow(now);
    if (counting) {
      stats.bytesIn += len;
    }
    byte[] b;
    int from;
    ByteBuf bb = data instanceof BufferInternal bi ? bi.getByteBuf() : null;
    if (bb != null && bb.hasArray()) {
      b = bb.array();
      from = bb.arrayOffset() + bb.readerIndex();
    } else {
      b = data.getBytes();
      from = 0;
    }
    boolean binary;
    if (type == WebSocketFrameType.CONTINUATION || !f.isFinal()) {
      if (type != WebSocketFrameType.CONTINUATION) {
        c.partial = new byte[Math.max(len * 2, 4096)];
        c.partialLen = 0;
        c.partialBinary = type == WebSocketFrameType.BINARY;
      }
      if (c.partial == null) {
        stats.malformed++;
        return;
      }
      if (c.partialLen + len > c.partial.length) {
        c.partial = java.util.Arrays.copyOf(c.partial, Math.max(c.partial.length * 2, c.partialLen + len));
      }
      System.arraycopy(b, from, c.partial, c.partialLen, len);
      c.partialLen += len;
      if (!f.isFinal()) {
        return;
      }
      b = c.partial;
      from = 0;
      len = c.partialLen;
      binary = c.partialBinary;
      c.partial = null;
    } else {
      binary = type == WebSocketFrameType.BINARY;
    }
    if (counting) {
      stats.framesIn++;
    }
    if (binary) {
      onBinary(c, b, from, from + len, now);
    } else {
      onText(c, b, from, from + len, now);
    }
  }

  private void onText(Conn c, byte[] b, int from, int to, long now) {
    int k = Scan.indexOf(b, from, to, K_TYPE);
    if (k < 0) {
      stats.malformed++;
      return;
    }
    int v = Scan.afterColon(b, k + K_TYPE.length, to);
    if (v >= to || b[v] != '"') {
      stats.malformed++;
      return;
    }
    v++;
    if (Scan.regionEquals(b, v, to, T_BULK)) {
      long fromSeq = Scan.lastLongField(b, from, to, K_FROM);
      long toSeq = Scan.lastLongField(b, from, to, K_TO);
      if (fromSeq == Long.MIN_VALUE || toSeq == Long.MIN_VALUE) {
        stats.malformed++;
        return;
      }
      onBatch(c, fromSeq, toSeq, now);
      if (c.sampled) {
        timePixels(b, from, to, fromSeq, toSeq, now);
      }
    } else if (Scan.regionEquals(b, v, to, T_ACK)) {
      onAnswer(c, Scan.longField(b, from, to, K_ID), Scan.longField(b, from, to, K_SEQ), null, now);
    } else if (Scan.regionEquals(b, v, to, T_REJECT)) {
      String reason = Scan.stringField(b, from, to, K_REASON);
      onAnswer(c, Scan.longField(b, from, to, K_ID), -1, reason == null ? "?" : reason, now);
    } else if (Scan.regionEquals(b, v, to, T_STATE)) {
      onState(c, b, from, to, now);
    } else if (Scan.regionEquals(b, v, to, T_HEARTBEAT)) {
      stats.heartbeatsIn++;
    } else if (Scan.regionEquals(b, v, to, T_ERROR)) {
      stats.errorFrames++;
      if (stats.firstError == null) {
        stats.firstError = "error frame: " + Scan.stringField(b, from, to, K_MESSAGE);
      }
    }
  }

  /**
   * Binary bulk updates (subprotocol pixels.v1.bin, docs/protocol.md): a 64-byte header (type 0x01,
   * version 0x01, 2 reserved, fromSeq u64, toSeq u64, timestamp u64, hash 32 bytes, count u32),
   * then 5 bytes per pixel (x u16, y u16, palette index u8), all big-endian.
   */
  private void onBinary(Conn c, byte[] b, int from, int to, long now) {
    int len = to - from;
    if (len < 64 || b[from] != 0x01) {
      stats.binaryUndecoded++;
      return;
    }
    if (b[from + 1] != 0x01) {
      stats.binaryUndecoded++; // a layout version this generator does not know
      return;
    }
    long fromSeq = u64(b, from + 4);
    long toSeq = u64(b, from + 12);
    long count = u32(b, from + 60);
    onBatch(c, fromSeq, toSeq, now);
    if (count != toSeq - fromSeq + 1 || len != 64 + 5 * count) {
      stats.countMismatch++;
      return;
    }
    if (c.sampled) {
      for (int i = 0, p = from + 64; i < count; i++, p += 5) {
        timePixel(((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF), ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF), now);
      }
    }
  }

  static long u64(byte[] b, int i) {
    long v = 0;
    for (int k = 0; k < 8; k++) {
      v = (v << 8) | (b[i + k] & 0xFF);
    }
    return v;
  }

  static long u32(byte[] b, int i) {
    return ((long) (b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
  }

  private void onState(Conn c, byte[] b, int from, int to, long now) {
    long seq = Scan.longField(b, from, to, K_SEQ);
    long w = Scan.longField(b, from, to, K_WIDTH);
    long h = Scan.longField(b, from, to, K_HEIGHT);
    if (w > 0 && h > 0) {
      load.canvasSize((int) w, (int) h);
    }
    if (seq != Long.MIN_VALUE && c.lastSeq < 0) {
      c.lastSeq = seq;
    }
    if (!c.isReady) {
      c.isReady = true;
      stats.connectUs.recordValue(Math.min(Stats.MAX_US, (now - c.connectStartNanos) / 1000));
      c.ready.tryComplete();
    }
  }

  void onBatch(Conn c, long fromSeq, long toSeq, long now) {
    if (load.inWindow(now)) {
      stats.batchesIn++;
    }
    if (c.lastSeq >= 0) {
      if (fromSeq > c.lastSeq + 1) {
        stats.gaps++;
        stats.missingSeqs += fromSeq - c.lastSeq - 1;
      } else if (fromSeq <= c.lastSeq) {
        stats.overlaps++;
      }
    }
    if (toSeq > c.lastSeq) {
      c.lastSeq = toSeq;
    }
    if (toSeq > stats.maxSeenSeq) {
      stats.maxSeenSeq = toSeq;
    }
    if (c.sampled) {
      stats.batchPixels.recordValue(Math.max(0, Math.min(10_000_000L, toSeq - fromSeq + 1)));
    }
  }

  private void timePixels(byte[] b, int from, int to, long fromSeq, long toSeq, long now) {
    int p = Scan.indexOf(b, from, to, K_PIXELS);
    if (p < 0) {
      stats.malformed++;
      return;
    }
    int open = Scan.indexOf(b, p, to, (byte) '[');
    int close = open < 0 ? -1 : Scan.indexOf(b, open, to, (byte) ']');
    if (close < 0) {
      stats.malformed++;
      return;
    }
    long n = 0;
    int i = open + 1;
    while (true) {
      int s = Scan.indexOf(b, i, close, (byte) '{');
      if (s < 0) {
        break;
      }
      int e = Scan.indexOf(b, s, close, (byte) '}');
      if (e < 0) {
        stats.malformed++;
        break;
      }
      long x = Scan.longField(b, s, e, K_X);
      long y = Scan.longField(b, s, e, K_Y);
      timePixel(x, y, now);
      n++;
      i = e + 1;
    }
    if (n != toSeq - fromSeq + 1) {
      stats.countMismatch++;
    }
  }

  void timePixel(long x, long y, long now) {
    long sent = load.sentAt(x, y);
    if (sent == 0 || sent > now) {
      stats.unmatchedPixels++;
      return;
    }
    if (load.inWindow(sent)) {
      stats.matchedPixels++;
      stats.broadcastUs.recordValue(Math.min(Stats.MAX_US, (now - sent) / 1000));
    }
  }

  private void onAnswer(Conn c, long id, long seq, String rejectReason, long now) {
    if (!c.painter || id == Long.MIN_VALUE || c.ringTimes == null) {
      stats.unknownAnswers++;
      return;
    }
    int slot = (int) (id & (c.ringTimes.length - 1));
    long sent = c.ringTimes[slot];
    if (sent == 0 || c.ringIds[slot] != id) {
      stats.unknownAnswers++;
      return;
    }
    c.ringTimes[slot] = 0;
    c.outstanding--;
    if (rejectReason == null && seq > stats.maxAckedSeq) {
      stats.maxAckedSeq = seq;
    }
    if (c.prefillDone != null) {
      c.prefillToAnswer--;
      if (rejectReason != null) {
        stats.rejected++;
        stats.addReason(stats.rejectReasons, rejectReason);
      }
      prefillPump(c);
      return;
    }
    if (!load.inWindow(sent)) {
      return;
    }
    if (rejectReason == null) {
      stats.accepted++;
      stats.ackUs.recordValue(Math.min(Stats.MAX_US, (now - sent) / 1000));
    } else {
      stats.rejected++;
      stats.addReason(stats.rejectReasons, rejectReason);
    }
  }

  // ---------------------------------------------------------------- painting

  /** Starts the painters' schedule: one timer per loop walks its painters every {@code tickMs}. */
  void startPainting(long tickMs) {
    long now = System.nanoTime();
    Options o = load.options;
    long period = (long) (1e9 / o.rate);
    for (Conn c : conns) {
      if (c.painter && !c.closed) {
        c.periodNanos = period;
        c.nextDueNanos = now + random.nextLong(period); // spread the painters over one period
        c.initRing(o.maxInFlightPerPainter);
      }
    }
    vertx.setPeriodic(
        tickMs,
        id -> {
          if (!load.painting) {
            vertx.cancelTimer(id);
            return;
          }
          paintTick();
        });
  }

  private void paintTick() {
    long now = System.nanoTime();
    for (int i = 0, n = conns.size(); i < n; i++) {
      Conn c = conns.get(i);
      if (!c.painter || c.closed || c.periodNanos == 0) {
        continue;
      }
      if (now - c.nextDueNanos > 1_000_000_000L) {
        // More than a second behind: this loop is overloaded. Count what we could not offer.
        long behind = (now - c.nextDueNanos) / c.periodNanos;
        if (load.inWindow(now)) {
          stats.skipped += behind;
        }
        c.nextDueNanos += behind * c.periodNanos;
      }
      while (c.nextDueNanos <= now) {
        c.nextDueNanos += c.periodNanos;
        sendPixel(c, now);
      }
    }
  }

  /** Sends one pixel at the next unique position of the run; returns false if skipped. */
  private boolean sendPixel(Conn c, long scheduled) {
    long id = c.nextId;
    int slot = (int) (id & (c.ringTimes.length - 1));
    if (c.ringTimes[slot] != 0 || c.ws.writeQueueFull()) {
      if (load.inWindow(scheduled)) {
        stats.skipped++;
      }
      return false;
    }
    c.nextId++;
    long g = load.nextPlacement();
    int area = load.area();
    int pos = (int) (g % area);
    int w = load.width();
    String msg =
        "{\"type\":\"pixel:update\",\"id\":\""
            + id
            + "\",\"data\":{\"x\":"
            + (pos % w)
            + ",\"y\":"
            + (pos / w)
            + ",\"color\":\""
            + load.color(g)
            + "\"}}";
    long now = System.nanoTime();
    load.markSent(pos, now);
    c.ringTimes[slot] = now;
    c.ringIds[slot] = id;
    c.outstanding++;
    c.ws.writeTextMessage(msg);
    if (load.inWindow(now)) {
      stats.offered++;
      stats.framesOut++;
      stats.bytesOut += msg.length();
    }
    return true;
  }

  // ---------------------------------------------------------------- prefill (canvas profile)

  /** Paints {@code count} random pixels as fast as the server answers, at most 256 in flight. */
  Future<Void> prefill(Conn c, long count) {
    c.initRing(512);
    c.prefillToSend = count;
    c.prefillToAnswer = count;
    c.prefillDone = Promise.promise();
    if (count == 0) {
      c.prefillDone.complete();
    }
    prefillPump(c);
    return c.prefillDone.future();
  }

  private void prefillPump(Conn c) {
    if (c.prefillToAnswer <= 0) {
      c.prefillDone.tryComplete();
      return;
    }
    if (c.closed) {
      c.prefillDone.tryFail("prefill connection closed");
      return;
    }
    while (c.prefillToSend > 0 && c.outstanding < 256) {
      long id = c.nextId++;
      int slot = (int) (id & (c.ringTimes.length - 1));
      int x = random.nextInt(load.width());
      int y = random.nextInt(load.area() / load.width());
      String msg =
          "{\"type\":\"pixel:update\",\"id\":\""
              + id
              + "\",\"data\":{\"x\":"
              + x
              + ",\"y\":"
              + y
              + ",\"color\":\""
              + load.color(random.nextInt(1 << 20))
              + "\"}}";
      c.ringTimes[slot] = System.nanoTime();
      c.ringIds[slot] = id;
      c.outstanding++;
      c.prefillToSend--;
      c.ws.writeTextMessage(msg);
    }
  }

  // ---------------------------------------------------------------- upkeep

  private void heartbeats() {
    Options o = load.options;
    long buckets = Math.max(1, o.heartbeatMs / 1000);
    long tick = heartbeatTick++;
    for (int i = 0, n = conns.size(); i < n; i++) {
      Conn c = conns.get(i);
      if (c.isReady && !c.closed && (c.id % buckets) == (tick % buckets)) {
        c.ws.writeTextMessage(HEARTBEAT);
      }
    }
  }

  /** Outstanding answers and the lowest seq seen by a live, ready connection. */
  long[] progress() {
    long outstanding = 0;
    long minSeq = Long.MAX_VALUE;
    long live = 0;
    for (Conn c : conns) {
      if (c.closed || !c.isReady) {
        continue;
      }
      live++;
      outstanding += c.outstanding;
      minSeq = Math.min(minSeq, c.lastSeq);
    }
    return new long[] {outstanding, minSeq, live, stats.maxAckedSeq};
  }

  /** Per-connection tallies at the end: live, behind the given seq, unanswered pixels. */
  long[] finalTally(long maxAcked) {
    long live = 0;
    long behind = 0;
    long missing = 0;
    long unanswered = 0;
    for (Conn c : conns) {
      unanswered += c.outstanding;
      if (c.closed || !c.isReady) {
        continue;
      }
      live++;
      if (c.lastSeq < maxAcked) {
        behind++;
        missing += maxAcked - c.lastSeq;
      }
    }
    return new long[] {live, behind, missing, unanswered};
  }

  Future<Void> closeAll() {
    List<Future<Void>> fs = new ArrayList<>();
    for (Conn c : conns) {
      if (c.ws != null && !c.closed) {
        c.closedByUs = true;
        fs.add(c.ws.close((short) 1000, "bench done"));
      }
    }
    return Future.join(fs).mapEmpty();
  }
}
