package dev.pixels.realtime;

import dev.pixels.identity.Identity;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
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
 * <p>Every frame the server sends goes through {@link #write} or, for frames shared with other
 * connections, the same gate, which keeps the connection's send queue within its bound: a client
 * whose queue is full is closed with {@link #CLOSE_TOO_SLOW} instead of being written to. The
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
  /** The connection's channel, for the size of its send queue; null if the transport hides it. */
  private final Channel channel;
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
    write(WebSocketFrame.textFrame(json, true));
  }

  /**
   * Sends a frame shared with other connections as one text frame, without copying it: the frame
   * carries a retained duplicate of {@code shared}, which the transport releases, and the caller
   * keeps its own reference (see {@link Broadcaster.EncodedBatch}). False if it was not sent.
   */
  boolean sendSharedText(ByteBuf shared) {
    if (!mayWrite()) {
      return false;
    }
    socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, shared.retainedDuplicate(), true));
    return true;
  }

  /** Like {@link #sendSharedText}, as one binary frame. */
  boolean sendSharedBinary(ByteBuf shared) {
    if (!mayWrite()) {
      return false;
    }
    socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.BINARY, shared.retainedDuplicate(), true));
    return true;
  }

  /** True if this client negotiated {@code pixels.v1.bin} and gets bulk updates as binary frames. */
  boolean wantsBinary() {
    return BulkUpdateCodec.BINARY_SUBPROTOCOL.equals(socket.subProtocol());
  }

  void ping() {
    write(WebSocketFrame.pingFrame(Buffer.buffer()));
  }

  /**
   * The one way frames leave for this client. A frame is dropped once the session is closing; a
   * full send queue closes the client with {@link #CLOSE_TOO_SLOW}. Returns true if it was written.
   */
  private boolean write(WebSocketFrame frame) {
    if (!mayWrite()) {
      return false;
    }
    socket.writeFrame(frame);
    return true;
  }

  /** The gate of {@link #write}, checked before a shared frame is duplicated for this client. */
  private boolean mayWrite() {
    return !isClosing() && !closedIfTooSlow();
  }

  /**
   * Closes the client with {@link #CLOSE_TOO_SLOW} if its send queue is full, and returns whether
   * it is closing. Also for frames the transport writes on its own (pongs), which bypass {@link
   * #write}.
   */
  boolean closedIfTooSlow() {
    if (isClosing()) {
      return true;
    }
    if (!socket.writeQueueFull()) {
      return false;
    }
    closeTooSlow("too slow: reconnect with sinceSeq=" + lastSentSeq);
    return true;
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
