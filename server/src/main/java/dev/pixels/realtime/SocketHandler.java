package dev.pixels.realtime;

import dev.pixels.canvas.Palette;
import dev.pixels.identity.Identity;
import dev.pixels.identity.IdentityProvider;
import dev.pixels.text.JsonText;
import dev.pixels.text.LogText;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts WebSocket clients on {@code /ws} and answers their frames.
 *
 * <p>The socket thread's job is kept short: parse and validate, ask the {@link PaintPolicy}, and
 * queue the pixel on the {@link PixelIntake}. Nothing here blocks or touches the store.
 *
 * <p>Concurrency: every handler runs on the event loop of its session; the only shared state is
 * immutable (parser, policy) or thread-safe (batcher queue, broadcaster).
 */
public final class SocketHandler {
  private static final Logger log = LoggerFactory.getLogger(SocketHandler.class);
  /**
   * How long a client the server closes has to answer the close frame before its connection is
   * reset: long enough for any client that reads, short enough that one that does not cannot hold
   * its connection slot.
   */
  static final Duration CLOSE_DEADLINE = Duration.ofSeconds(2);

  private final MessageParser parser;
  private final Palette palette;
  private final int width;
  private final int height;
  private final PixelIntake intake;
  private final Broadcaster broadcaster;
  private final IdentityProvider identities;
  private final PaintPolicy policy;
  private final int maxFrameBytes;
  private final int sendQueueBytes;
  private final SocketLimits limits;
  private final long retryWhenBusyMs;
  private final AtomicLong connectionIds = new AtomicLong();
  private volatile Listener listener = Listener.NONE;
  private volatile boolean accepting = true;

  /**
   * Observes connections and refused pixels, for metrics and logs. Called on event loops, so an
   * implementation must not block; {@link #rejected} runs once per refused pixel and must not
   * allocate.
   */
  public interface Listener {
    Listener NONE = new Listener() {};

    default void connected(Session session) {}

    /** {@code closeCode} is null when the connection ended without a close frame. */
    default void disconnected(Session session, Short closeCode, String closeReason) {}

    default void rejected(RejectReason reason) {}

    /** An upgrade answered with an HTTP error instead of a WebSocket. */
    default void upgradeRefused(int status) {}

    /** A listener that calls this one, then {@code next}. */
    default Listener andThen(Listener next) {
      Listener first = this;
      return new Listener() {
        @Override public void connected(Session s) { first.connected(s); next.connected(s); }
        @Override public void disconnected(Session s, Short code, String reason) {
          first.disconnected(s, code, reason);
          next.disconnected(s, code, reason);
        }
        @Override public void rejected(RejectReason r) { first.rejected(r); next.rejected(r); }
        @Override public void upgradeRefused(int status) { first.upgradeRefused(status); next.upgradeRefused(status); }
      };
    }
  }

  public SocketHandler(Palette palette, int width, int height, PixelIntake intake, Broadcaster broadcaster,
      IdentityProvider identities, PaintPolicy policy, int maxFrameBytes, int sendQueueBytes, Duration batchInterval,
      SocketLimits limits) {
    this.parser = new MessageParser(palette, width, height);
    this.palette = palette;
    this.width = width;
    this.height = height;
    this.intake = intake;
    this.broadcaster = broadcaster;
    this.identities = identities;
    this.policy = policy;
    this.maxFrameBytes = maxFrameBytes;
    this.sendQueueBytes = sendQueueBytes;
    this.limits = limits;
    this.retryWhenBusyMs = Math.max(100, batchInterval.toMillis() * 4);
  }

  public void listener(Listener listener) {
    this.listener = listener;
  }

  /**
   * Refuses new connections (503) and new pixels ({@code unavailable}) from now on; the first step
   * of a graceful shutdown, so that everything already accepted can be committed and answered.
   */
  public void stopAccepting() {
    accepting = false;
  }

  /**
   * Upgrades {@code request} to a WebSocket; {@code remoteIp} is the client address already
   * resolved by the web layer. Runs on the request's event loop.
   */
  public void upgrade(HttpServerRequest request, String remoteIp) {
    if (!accepting) {
      refuse(request, 503, "unavailable", "the server is shutting down; connect to another instance");
      return;
    }
    long sinceSeq;
    Identity identity;
    try {
      sinceSeq = parseSinceSeq(request.getParam("sinceSeq"));
      identity = identities.identify(request, remoteIp);
    } catch (IllegalArgumentException e) {
      refuse(request, 400, "bad_request", e.getMessage());
      return;
    } catch (IdentityProvider.IdentityRejectedException e) {
      refuse(request, 401, "unauthorized", e.getMessage());
      return;
    }
    // Admins are not counted: a moderator must get in even while an IP floods the server.
    boolean counted = !identity.isAdmin();
    if (counted && !limits.connections().tryOpen(identity.remoteIp())) {
      request.response().setStatusCode(429).putHeader("Content-Type", "application/json").putHeader("Retry-After", "10")
          .end("{\"error\":\"too_many_connections\",\"message\":" + JsonText.quote("at most "
              + limits.connections().maxPerKey() + " connections per client address") + "}");
      return;
    }
    HttpConnection connection = request.connection();
    request.toWebSocket().onSuccess(ws -> accept(ws, connection, identity, sinceSeq, counted))
        .onFailure(e -> {
          if (counted) {
            limits.connections().closed(identity.remoteIp());
          }
          log.debug("websocket upgrade failed: {}", LogText.escape(e.toString()));
        });
  }

  private void refuse(HttpServerRequest request, int status, String error, String message) {
    listener.upgradeRefused(status);
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end("{\"error\":\"" + error + "\",\"message\":" + JsonText.quote(message) + "}");
  }

  private static long parseSinceSeq(String value) {
    if (value == null || value.isEmpty()) {
      return -1;
    }
    try {
      long seq = Long.parseLong(value);
      if (seq < 0) {
        throw new IllegalArgumentException("sinceSeq must be a seq >= 0");
      }
      return seq;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("sinceSeq must be a whole number");
    }
  }

  private void accept(ServerWebSocket ws, HttpConnection connection, Identity identity, long sinceSeq,
      boolean counted) {
    Context context = Vertx.currentContext();
    Session session = new Session("c" + connectionIds.incrementAndGet(), ws, connection, context, identity,
        identity.isAdmin() ? FrameGuard.unmetered(limits.maxViolations())
            : new FrameGuard(limits.messagesPerSecond(), limits.maxViolations()),
        broadcaster::slowClientClosed, CLOSE_DEADLINE);
    // Bounds what a client that stops reading can make the server hold for it.
    ws.setWriteQueueMaxSize(sendQueueBytes);
    PixelReply reply = new SessionReply(session, palette);
    ws.textMessageHandler(text -> onText(session, reply, text));
    ws.binaryMessageHandler(buffer -> {
      long now = System.nanoTime();
      session.lastHeardNanos = now;
      if (!closedForViolations(session, now)) {
        session.sendText(ServerMessages.error("malformed", "binary frames are not accepted; send JSON text"));
      }
    });
    ws.frameHandler(frame -> {
      if (frame.type() == WebSocketFrameType.PING) {
        onPing(session);
      } else if (frame.type() == WebSocketFrameType.PONG) {
        countControlFrame(session);
      } else if (frame.type() == WebSocketFrameType.CONTINUATION) {
        countFragment(session);
      }
    });
    ws.exceptionHandler(e -> log.debug("connection {}: {}", session.connectionId(), LogText.escape(e.toString())));
    ws.closeHandler(v -> {
      session.ended();
      broadcaster.leave(session);
      if (counted) {
        limits.connections().closed(identity.remoteIp());
      }
      Short code = session.closeCode() != null ? session.closeCode() : ws.closeStatusCode();
      listener.disconnected(session, code, session.closeCode() != null ? session.closeReason() : ws.closeReason());
    });
    listener.connected(session);
    broadcaster.join(session, sinceSeq,
        state -> session.sendText(ServerMessages.canvasState(width, height, state, identity.userId(),
            identity.isAdmin() ? null : limits.paintLimits())));
  }

  void onText(Session session, PixelReply reply, String text) {
    long now = System.nanoTime();
    session.lastHeardNanos = now;
    if (tooLarge(text)) {
      if (!closedForViolations(session, now)) {
        session.sendText(ServerMessages.error("frame_too_large",
            "frames are limited to " + maxFrameBytes + " bytes; this one was ignored"));
      }
      return;
    }
    if (!session.guard().admit(now)) {
      if (!closedForViolations(session, now)) {
        session.sendText(ServerMessages.error("too_many_messages", "at most " + limits.messagesPerSecond()
            + " messages per second per connection; this one was ignored"));
      }
      return;
    }
    switch (parser.parse(text)) {
      case ClientMessage.Paint paint -> paint(session, reply, paint);
      case ClientMessage.InvalidPaint bad -> {
        listener.rejected(bad.reason());
        session.sendText(ServerMessages.reject(
            bad.id(), bad.xJson(), bad.yJson(), new Verdict.Rejection(bad.reason(), bad.message())));
      }
      case ClientMessage.Heartbeat h -> session.sendText(ServerMessages.HEARTBEAT);
      case ClientMessage.StrokeMarker m -> { }
      case ClientMessage.Malformed m -> session.sendText(ServerMessages.error("malformed", m.message()));
    }
  }

  /**
   * The transport has already answered the ping with a pong, outside the session's write path: a
   * client already cut off for pinging (or not reading) is reset, any other is counted.
   */
  private static void onPing(Session session) {
    if (!session.resetIfCutOff()) {
      countControlFrame(session);
    }
  }

  /**
   * Counts a ping or pong against the message budget, and checks the send queue that a pong may
   * have filled: a client that pings and never reads is closed with 4000. An excess ping is a
   * violation but gets no error frame, since a reply per ping is what a flood is after.
   */
  private static void countControlFrame(Session session) {
    long now = System.nanoTime();
    session.lastHeardNanos = now;
    if (session.closedIfTooSlow()) {
      return;
    }
    if (!session.guard().admit(now)) {
      closedForViolations(session, now);
    }
  }

  /**
   * Counts a continuation frame against the message budget, like a message of its own. Without
   * this, a client that never ends its message (or whose message the transport drops as too
   * large) would send frames at any rate, unmetered.
   */
  private static void countFragment(Session session) {
    long now = System.nanoTime();
    session.lastHeardNanos = now;
    if (!session.guard().admit(now)) {
      closedForViolations(session, now);
    }
  }

  private void paint(Session session, PixelReply reply, ClientMessage.Paint paint) {
    if (!accepting) {
      listener.rejected(RejectReason.UNAVAILABLE);
      session.sendText(ServerMessages.reject(paint.id(), Integer.toString(paint.x()), Integer.toString(paint.y()),
          new Verdict.Rejection(RejectReason.UNAVAILABLE, "the server is shutting down; reconnect to another instance",
              retryWhenBusyMs)));
      return;
    }
    Verdict verdict = policy.check(session.identity(), paint.x(), paint.y());
    if (verdict instanceof Verdict.Rejection rejection) {
      listener.rejected(rejection.reason());
      session.sendText(ServerMessages.reject(
          paint.id(), Integer.toString(paint.x()), Integer.toString(paint.y()), rejection));
      return;
    }
    PixelRequest request = new PixelRequest(session.identity(), reply, paint.id(), paint.x(), paint.y(), paint.color(),
        paint.tool(), System.nanoTime());
    if (!intake.offer(request)) {
      listener.rejected(RejectReason.UNAVAILABLE);
      session.sendText(ServerMessages.reject(request, new Verdict.Rejection(
          RejectReason.UNAVAILABLE, "the server is at capacity; try again shortly", retryWhenBusyMs)));
    }
  }

  /** Counts a broken rule; closes the client with 1008 and returns true if it keeps breaking them. */
  private static boolean closedForViolations(Session session, long now) {
    if (session.guard().violation(now)) {
      session.closeForViolations("policy violation: too many oversized, binary or excess frames");
      return true;
    }
    return false;
  }

  /** Pings quiet clients and closes those silent past {@code idleTimeout}; call periodically. */
  public void sweep(Duration pingInterval, Duration idleTimeout) {
    long now = System.nanoTime();
    broadcaster.forEachSession(s -> {
      long silent = now - s.lastHeardNanos;
      if (silent > idleTimeout.toNanos()) {
        s.close(Session.CLOSE_IDLE, "idle for more than " + idleTimeout.toSeconds() + " s");
      } else if (silent >= pingInterval.toNanos() / 2) {
        s.ping();
      }
    });
  }

  /** Closes every client with 1001 (going away), for shutdown. */
  public void closeAll(String reason) {
    broadcaster.forEachSession(s -> s.close((short) 1001, reason));
  }

  /** True if {@code s} exceeds the frame limit in UTF-8, without encoding it when length decides. */
  private boolean tooLarge(String s) {
    if (s.length() > maxFrameBytes) {
      return true;
    }
    if (s.length() * 3 <= maxFrameBytes) {
      return false;
    }
    return s.getBytes(StandardCharsets.UTF_8).length > maxFrameBytes;
  }
}
