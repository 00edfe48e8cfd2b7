package dev.pixels.realtime;

import dev.pixels.identity.Identity;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.VoidChannelPromise;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.net.impl.ConnectionBase;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One connected WebSocket client.
 *
 * <p>Every data frame and ping the server sends is written whole, header included, straight to the
 * connection's channel: its own messages ({@link #sendText}) encoded once into one buffer, frames
 * shared with other connections ({@link #sendShared}) as the shared bytes. Vert.x's per-frame
 * encoding and its own write queue are skipped, so all of them keep one order and one bound; only
 * the close frame (and the transport's pongs) go through Vert.x. Every write passes one gate that
 * keeps the connection's send queue within its bound: a client whose queue is full is closed with
 * {@link #CLOSE_TOO_SLOW} instead of being written to. The
 * broadcaster also lets the clients furthest behind go ({@link #shed}) when all queues together
 * are over their bound. A client the server closes gets {@code closeDeadline} to finish the
 * close handshake; after that its TCP connection is reset, so a client that never reads cannot
 * keep a connection (and its slot in the per-address count) open. A client closed for a full queue
 * or for violations that still pings is reset at once ({@link #resetIfCutOff}).
 *
 * <p>Concurrency: a session belongs to the event loop it was accepted on ({@link #loop()}). Every
 * field that is not final is read and written only on that loop. Other threads reach the client by
 * scheduling work on that loop ({@link #context()}), never by touching the session directly.
 */
public final class Session {
  /** Close code for a client that fell too far behind; it may reconnect with {@code sinceSeq}. */
  public static final short CLOSE_TOO_SLOW = 4000;
  /** Close code for a client silent for longer than the idle timeout. */
  public static final short CLOSE_IDLE = 4001;
  /** The shared canvas was restored from the store; resume with sinceSeq and expect a resync. */
  public static final short CLOSE_RESYNC = 4002;
  /** Close code (RFC 6455 "policy violation") for a client that keeps breaking frame or rate rules. */
  public static final short CLOSE_POLICY = 1008;

  private final String connectionId;
  private final ServerWebSocket socket;
  private final Runnable resetConnection;
  /**
   * The connection's channel, for the size of its send queue and for writing shared frames; null
   * if the transport hides it.
   */
  private final Channel channel;
  /**
   * Where whole frames enter the pipeline: at the WebSocket encoder, so they pass only the handlers
   * between it and the socket (none here; TLS would be one). The handlers after it have nothing to
   * do with bytes that are already a frame: the encoder itself, and Vert.x's idle handler, which
   * would allocate a promise per write to time it (clients silent for {@code WS_IDLE_TIMEOUT_MS}
   * are closed by the server anyway, well before the HTTP idle timeout). The channel itself if the
   * pipeline has no such encoder.
   */
  private final ChannelOutboundInvoker frames;
  /** Completes shared-frame writes without an object per write; a failure is not reported. */
  private final ChannelPromise voidPromise;
  /** Fixed at the handshake; read once per broadcast frame. */
  private final boolean wantsBinary;
  private final Context context;
  private final Thread loop;
  private final Identity identity;
  private final FrameGuard guard;
  private final Consumer<Session> onTooSlow;
  private final Duration closeDeadline;

  /** The highest seq this client has been sent; batches up to it are skipped. Loop-confined. */
  long lastSentSeq;
  /** Last time any frame arrived, from {@link System#nanoTime()}. Loop-confined. */
  long lastHeardNanos;
  /** Position in its loop's client list, for O(1) removal. Loop-confined. */
  int slot = -1;
  /** True while frames written by {@link #sendShared} wait for {@link #flush()}. Loop-confined. */
  private boolean unflushed;
  private boolean closing;
  private boolean cutOff;
  private boolean ended;
  private long resetTimer = -1;
  private Short closeCode;
  private String closeReason;

  /**
   * Must be created on the event loop of {@code context}. {@code connection} is the HTTP connection
   * that was upgraded to {@code socket}; only its channel is kept. {@code onTooSlow} hears of every
   * close for a full send queue; {@code closeDeadline} is how long a client the server closes has
   * before its connection is reset.
   */
  Session(String connectionId, ServerWebSocket socket, HttpConnection connection, Context context, Identity identity,
      FrameGuard guard, Consumer<Session> onTooSlow, Duration closeDeadline) {
    this.connectionId = connectionId;
    this.guard = guard;
    this.socket = socket;
    this.resetConnection = resetterOf(connection);
    this.channel = connection instanceof ConnectionBase base ? base.channel() : null;
    this.voidPromise = channel == null ? null : new VoidChannelPromise(channel, false);
    ChannelHandlerContext encoder = channel == null ? null : channel.pipeline().context(WebSocketFrameEncoder.class);
    this.frames = encoder != null ? encoder : channel;
    this.wantsBinary = BulkUpdateCodec.BINARY_SUBPROTOCOL.equals(socket.subProtocol());
    this.context = context;
    this.loop = Thread.currentThread();
    this.identity = identity;
    this.onTooSlow = onTooSlow;
    this.closeDeadline = closeDeadline;
    this.lastHeardNanos = System.nanoTime();
  }

  public String connectionId() {
    return connectionId;
  }

  public Identity identity() {
    return identity;
  }

  /** This connection's message and violation budget; loop-confined like the session. */
  FrameGuard guard() {
    return guard;
  }

  /** A context that runs work on this session's event loop. */
  Context context() {
    return context;
  }

  /**
   * The event-loop thread this session lives on. Vert.x gives each connection a context of its
   * own, so sessions of one loop are grouped by this thread, not by their contexts.
   */
  Thread loop() {
    return loop;
  }

  /** The code this server closed the connection with, or null if it did not close it. Loop-confined. */
  Short closeCode() {
    return closeCode;
  }

  String closeReason() {
    return closeReason;
  }

  /** True once the server started closing this client or the connection dropped. */
  boolean isClosing() {
    return closing || socket.isClosed();
  }

  void sendText(String json) {
    if (!mayWrite()) {
      return;
    }
    if (channel == null) {
      socket.writeFrame(WebSocketFrame.textFrame(json, true));
      return;
    }
    writeNow(SharedFrame.textFor(channel.alloc(), json));
  }

  /** Writes a whole frame of this connection's own and flushes it with anything queued before. */
  private void writeNow(ByteBuf frame) {
    unflushed = false;
    frames.writeAndFlush(frame, voidPromise);
  }

  /**
   * Queues {@code frame}, shared with other connections, for this client without flushing it: the
   * transport gets a retained duplicate of its bytes as they are (see {@link SharedFrame}), past
   * the per-connection frame encoding. Call {@link #flush()} once the round of writes is done.
   * False if it was not written (closing, or closed now for a full queue).
   *
   * <p>It is written on the connection's loop, like Vert.x's own writes (the close frame), so
   * frames keep the order they were written in; and it counts towards the transport's send queue,
   * so the bounds hold for it as for any frame.
   */
  boolean sendShared(SharedFrame frame) {
    if (!mayWrite()) {
      return false;
    }
    if (channel == null) {
      WebSocketFrameType type = frame.isBinary() ? WebSocketFrameType.BINARY : WebSocketFrameType.TEXT;
      socket.writeFrame(new WebSocketFrameImpl(type, frame.payloadBuf(), true));
      return true;
    }
    frames.write(frame.bytes().retainedDuplicate(), voidPromise);
    unflushed = true;
    return true;
  }

  /** Hands the frames queued by {@link #sendShared} to the socket, if there are any. Loop-confined. */
  void flush() {
    if (unflushed) {
      unflushed = false;
      frames.flush();
    }
  }

  /** True if this client negotiated {@code pixels.v1.bin} and gets bulk updates as binary frames. */
  boolean wantsBinary() {
    return wantsBinary;
  }

  void ping() {
    if (!mayWrite()) {
      return;
    }
    if (channel == null) {
      socket.writeFrame(WebSocketFrame.pingFrame(Buffer.buffer()));
      return;
    }
    writeNow(SharedFrame.pingFor(channel.alloc()));
  }

  /** The gate of every frame written to this client, checked before anything is encoded for it. */
  private boolean mayWrite() {
    return !isClosing() && !closedIfTooSlow();
  }

  /**
   * Closes the client with {@link #CLOSE_TOO_SLOW} if its send queue is full, and returns whether
   * it is closing. Also for frames the transport writes on its own (pongs), which bypass the gate.
   */
  boolean closedIfTooSlow() {
    if (isClosing()) {
      return true;
    }
    if (!sendQueueFull()) {
      return false;
    }
    closeTooSlow("too slow: reconnect with sinceSeq=" + lastSentSeq);
    return true;
  }

  /**
   * True once what the transport holds for this client is over its bound ({@code
   * setWriteQueueMaxSize}, the channel's high water mark). Read from the channel: shared frames are
   * written to it directly, past Vert.x's own queue, whose state would not show them.
   */
  private boolean sendQueueFull() {
    return channel != null ? !channel.isWritable() : socket.writeQueueFull();
  }

  /**
   * Bytes written to this client that the transport still holds, as the transport counts them
   * (each frame whole, shared or not, plus a fixed overhead per frame); 0 once the connection is
   * gone. Loop-confined.
   */
  long queuedBytes() {
    if (channel == null) {
      return 0;
    }
    ChannelOutboundBuffer queue = channel.unsafe().outboundBuffer();
    return queue == null ? 0 : queue.totalPendingWriteBytes();
  }

  /**
   * Lets go of this client because all clients' send queues together are over their bound: closed
   * with {@link #CLOSE_TOO_SLOW} like a client whose own queue is full, or, if it already is
   * closing, reset at once, since the backlog it still holds is what the server needs back.
   */
  void shed() {
    if (closing) {
      reset();
    } else {
      closeTooSlow("too slow: the server's send queues are full; reconnect with sinceSeq=" + lastSentSeq);
    }
  }

  private void closeTooSlow(String reason) {
    close(CLOSE_TOO_SLOW, reason);
    cutOff = true;
    // It does not read, so it cannot answer the close; reading on would only cost work until the
    // deadline.
    socket.pause();
    onTooSlow.accept(this);
  }

  /** Closes the client with {@link #CLOSE_POLICY}; like a client too slow, it is cut off. */
  void closeForViolations(String reason) {
    if (!closing) {
      close(CLOSE_POLICY, reason);
      cutOff = true;
    }
  }

  /**
   * Resets the connection at once if the client was closed for a full queue or for violations and
   * still pings: the transport answers every ping with a pong, even on a paused socket, queued
   * behind data the client does not read. Returns true if it was reset.
   */
  boolean resetIfCutOff() {
    if (cutOff && !ended) {
      reset();
      return true;
    }
    return false;
  }

  /**
   * Sends a close frame and gives the client {@code closeDeadline} to finish the handshake; after
   * that the TCP connection is reset. Without the deadline, a close frame stuck behind unread data
   * would keep the connection open until the client went away by itself.
   */
  void close(short code, String reason) {
    if (!closing) {
      closing = true;
      closeCode = code;
      closeReason = reason;
      if (!socket.isClosed()) {
        socket.close(code, reason);
      }
      if (!ended) {
        resetTimer = context.owner().setTimer(Math.max(1, closeDeadline.toMillis()), id -> {
          resetTimer = -1;
          reset();
        });
      }
    }
  }

  /** Records that the connection is gone; called by its close handler. */
  void ended() {
    ended = true;
    if (resetTimer >= 0) {
      context.owner().cancelTimer(resetTimer);
      resetTimer = -1;
    }
  }

  /**
   * Drops the TCP connection at once with a reset (SO_LINGER 0), discarding whatever is still
   * queued for the client, so neither the server nor the kernel holds it any longer.
   */
  private void reset() {
    if (!ended) {
      resetConnection.run();
    }
  }

  /**
   * What resets {@code connection}. Vert.x's public API can only close a connection (a FIN queued
   * behind the unsent data), not abort it; the reset needs the connection's channel, which only its
   * implementation exposes. Should that change, a plain close is the fallback.
   */
  private static Runnable resetterOf(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return connection::close;
    }
    Channel channel = base.channel();
    return () -> {
      if (channel.isOpen()) {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        // Straight to the transport: a close through the pipeline would be turned by Vert.x into
        // another graceful close, which waits on the same unsent data.
        channel.unsafe().close(channel.voidPromise());
      }
    };
  }
}
