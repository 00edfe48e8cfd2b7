package dev.pixels.realtime;

import dev.pixels.identity.Identity;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;

/**
 * One connected WebSocket client.
 *
 * <p>Concurrency: a session belongs to the event loop it was accepted on ({@link #context()}).
 * Every field that is not final is read and written only on that loop. Other threads reach the
 * client by scheduling work on that loop, never by touching the session directly.
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
  private final Context context;
  private final Identity identity;
  private final FrameGuard guard;

  /** The highest seq this client has been sent; batches up to it are skipped. Loop-confined. */
  long lastSentSeq;
  /** Last time any frame arrived, from {@link System#nanoTime()}. Loop-confined. */
  long lastHeardNanos;
  /** Position in its loop's client list, for O(1) removal. Loop-confined. */
  int slot = -1;
  private boolean closing;
  private Short closeCode;
  private String closeReason;

  Session(String connectionId, ServerWebSocket socket, Context context, Identity identity, FrameGuard guard) {
    this.connectionId = connectionId;
    this.guard = guard;
    this.socket = socket;
    this.context = context;
    this.identity = identity;
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

  Context context() {
    return context;
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

  boolean sendQueueFull() {
    return socket.writeQueueFull();
  }

  void sendText(String json) {
    if (!closing) {
      socket.writeFinalTextFrame(json);
    }
  }

  /**
   * Sends bytes shared with other connections as one text frame. The frame wraps the array
   * without copying it, so one encoding serves every client.
   */
  void sendSharedText(byte[] utf8) {
    if (!closing) {
      socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(utf8), true));
    }
  }

  /** Sends bytes shared with other connections as one binary frame, without copying them. */
  void sendSharedBinary(byte[] bytes) {
    if (!closing) {
      socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.BINARY, Unpooled.wrappedBuffer(bytes), true));
    }
  }

  /** True if this client negotiated {@code pixels.v1.bin} and gets bulk updates as binary frames. */
  boolean wantsBinary() {
    return BulkUpdateCodec.BINARY_SUBPROTOCOL.equals(socket.subProtocol());
  }

  void ping() {
    if (!closing) {
      socket.writePing(io.vertx.core.buffer.Buffer.buffer());
    }
  }

  void close(short code, String reason) {
    if (!closing) {
      closing = true;
      closeCode = code;
      closeReason = reason;
      socket.close(code, reason);
    }
  }
}
