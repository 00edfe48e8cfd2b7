package dev.pixels.realtime;

import dev.pixels.canvas.Palette;
import dev.pixels.identity.Identity;
import dev.pixels.identity.IdentityProvider;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
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

  private final MessageParser parser;
  private final int width;
  private final int height;
  private final PixelIntake intake;
  private final Broadcaster broadcaster;
  private final IdentityProvider identities;
  private final PaintPolicy policy;
  private final int maxFrameBytes;
  private final SocketLimits limits;
  private final long retryWhenBusyMs;
  private final AtomicLong connectionIds = new AtomicLong();

  public SocketHandler(Palette palette, int width, int height, PixelIntake intake, Broadcaster broadcaster,
      IdentityProvider identities, PaintPolicy policy, int maxFrameBytes, Duration batchInterval,
      SocketLimits limits) {
    this.parser = new MessageParser(palette, width, height);
    this.width = width;
    this.height = height;
    this.intake = intake;
    this.broadcaster = broadcaster;
    this.identities = identities;
    this.policy = policy;
    this.maxFrameBytes = maxFrameBytes;
    this.limits = limits;
    this.retryWhenBusyMs = Math.max(100, batchInterval.toMillis() * 4);
  }

  /**
   * Upgrades {@code request} to a WebSocket; {@code remoteIp} is the client address already
   * resolved by the web layer. Runs on the request's event loop.
   */
  public void upgrade(HttpServerRequest request, String remoteIp) {
    long sinceSeq;
    Identity identity;
    try {
      sinceSeq = parseSinceSeq(request.getParam("sinceSeq"));
      identity = identities.identify(request, remoteIp);
    } catch (IllegalArgumentException e) {
      request.response().setStatusCode(400).putHeader("Content-Type", "application/json")
          .end("{\"error\":\"bad_request\",\"message\":" + JsonText.quote(e.getMessage()) + "}");
      return;
    } catch (IdentityProvider.IdentityRejectedException e) {
      request.response().setStatusCode(401).putHeader("Content-Type", "application/json")
          .end("{\"error\":\"unauthorized\",\"message\":" + JsonText.quote(e.getMessage()) + "}");
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
    request.toWebSocket().onSuccess(ws -> accept(ws, identity, sinceSeq, counted))
        .onFailure(e -> {
          if (counted) {
            limits.connections().closed(identity.remoteIp());
          }
          log.debug("websocket upgrade failed: {}", e.toString());
        });
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

  private void accept(ServerWebSocket ws, Identity identity, long sinceSeq, boolean counted) {
    Context context = Vertx.currentContext();
    Session session = new Session("c" + connectionIds.incrementAndGet(), ws, context, identity,
        identity.isAdmin() ? FrameGuard.unmetered(limits.maxViolations())
            : new FrameGuard(limits.messagesPerSecond(), limits.maxViolations()));
    ws.textMessageHandler(text -> onText(session, text));
    ws.binaryMessageHandler(buffer -> {
      long now = System.nanoTime();
      session.lastHeardNanos = now;
      if (!closedForViolations(session, now)) {
        session.sendText(ServerMessages.error("malformed", "binary frames are not accepted; send JSON text"));
      }
    });
    ws.pongHandler(pong -> session.lastHeardNanos = System.nanoTime());
    ws.exceptionHandler(e -> log.debug("connection {}: {}", session.connectionId(), e.toString()));
    ws.closeHandler(v -> {
      broadcaster.leave(session);
      if (counted) {
        limits.connections().closed(identity.remoteIp());
      }
    });
    broadcaster.join(session, sinceSeq,
        state -> session.sendText(ServerMessages.canvasState(width, height, state, identity.userId())));
  }

  void onText(Session session, String text) {
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
      case ClientMessage.Paint paint -> paint(session, paint);
      case ClientMessage.InvalidPaint bad -> session.sendText(ServerMessages.reject(
          bad.id(), bad.xJson(), bad.yJson(), new Verdict.Rejection(bad.reason(), bad.message())));
      case ClientMessage.Heartbeat h -> session.sendText(ServerMessages.HEARTBEAT);
      case ClientMessage.StrokeMarker m -> { }
      case ClientMessage.Malformed m -> session.sendText(ServerMessages.error("malformed", m.message()));
    }
  }

  private void paint(Session session, ClientMessage.Paint paint) {
    Verdict verdict = policy.check(session.identity(), paint.x(), paint.y());
    if (verdict instanceof Verdict.Rejection rejection) {
      session.sendText(ServerMessages.reject(
          paint.id(), Integer.toString(paint.x()), Integer.toString(paint.y()), rejection));
      return;
    }
    PixelRequest request = new PixelRequest(
        session, paint.id(), paint.x(), paint.y(), paint.color(), paint.tool(), System.nanoTime());
    if (!intake.offer(request)) {
      session.sendText(ServerMessages.reject(request, new Verdict.Rejection(
          RejectReason.UNAVAILABLE, "the server is at capacity; try again shortly", retryWhenBusyMs)));
    }
  }

  /** Counts a broken rule; closes the client with 1008 and returns true if it keeps breaking them. */
  private static boolean closedForViolations(Session session, long now) {
    if (session.guard().violation(now)) {
      session.close(Session.CLOSE_POLICY, "policy violation: too many oversized, binary or excess frames");
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
