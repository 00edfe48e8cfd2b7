package dev.pixels.web;

import dev.pixels.http.RouteContributor;
import dev.pixels.identity.IpText;
import dev.pixels.ratelimit.ConnectionLimit;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * Keeps clients from holding HTTP connections they do not use (slowloris): it caps the open
 * connections per peer address, and closes a connection that has not delivered a complete request
 * head within the header timeout of opening, or of the answer to its previous request.
 *
 * <p>The cap counts TCP connections, WebSockets included, by the socket peer: the client address
 * from {@code X-Forwarded-For} is not known before a request arrives. Trusted proxies are therefore
 * left alone: they carry many clients, buffer requests themselves, and keep connections open
 * between requests (their keep-alive is bounded by the idle timeout only). A connection over the
 * cap is closed as soon as it is accepted. Connections that go quiet after their head are closed
 * by the server's idle timeout, not here.
 *
 * <p>Concurrency: one guard serves every server instance. The counts are a concurrent {@link
 * ConnectionLimit}; each connection's deadline is in a concurrent map but only ever touched on that
 * connection's event loop.
 */
public final class ConnectionGuard implements RouteContributor {
  /** What the guard does to connections, for metrics. */
  public interface Listener {
    /** A connection beyond the per-address cap was closed as soon as it was accepted. */
    void refusedOverCap();

    /** A connection was closed for not sending a whole request head in time. */
    void headTimedOut();
  }

  private final ConnectionLimit perPeer;
  private final Set<String> trusted;
  private final long headerTimeoutMs;
  private final Listener listener;
  private final ConcurrentMap<HttpConnection, Deadline> deadlines = new ConcurrentHashMap<>();

  /** {@code trusted}: proxies, whose connections carry many clients and are neither capped nor timed. */
  public ConnectionGuard(ConnectionLimit perPeer, Collection<String> trusted, Duration headerTimeout,
      Listener listener) {
    this.perPeer = perPeer;
    this.trusted = trusted.stream().map(IpText::canonical).collect(Collectors.toUnmodifiableSet());
    this.headerTimeoutMs = headerTimeout.toMillis();
    this.listener = listener;
  }

  /** Watches every connection {@code server} accepts; call before it listens. */
  public void watch(Vertx vertx, HttpServer server) {
    server.connectionHandler(connection -> {
      String peer = IpText.canonical(connection.remoteAddress().hostAddress());
      if (trusted.contains(peer)) {
        return;
      }
      if (!perPeer.tryOpen(peer)) {
        listener.refusedOverCap();
        connection.close();
        return;
      }
      Deadline deadline = new Deadline(vertx, connection);
      deadlines.put(connection, deadline);
      deadline.arm();
      // The channel's close, not the HTTP connection's close handler: a connection upgraded to a
      // WebSocket leaves the HTTP connection's handlers behind, so that handler never hears of it.
      ((ConnectionBase) connection).channel().closeFuture().addListener(closed -> {
        deadlines.remove(connection);
        deadline.cancel();
        perPeer.closed(peer);
      });
    });
  }

  /** Stops each request's head deadline once the router has the request, and restarts it after the answer. */
  @Override
  public void register(Router router) {
    router.route().order(Integer.MIN_VALUE).handler(this::headReceived);
  }

  private void headReceived(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    Deadline deadline = deadlines.get(request.connection());
    if (deadline != null) {
      deadline.cancel();
      // An HTTP/2 connection multiplexes requests. A connection that became a WebSocket (whose
      // answer, if it ends at all, is 101) has its own pings and idle limit; every other answer,
      // a refused upgrade included, leaves an HTTP connection that owes another head.
      if (request.version() != HttpVersion.HTTP_2) {
        ctx.addEndHandler(done -> {
          if (done.succeeded() && ctx.response().getStatusCode() != 101) {
            deadline.arm();
          }
        });
      }
    }
    ctx.next();
  }

  /** The pending close of one connection that owes a request head; used on its event loop only. */
  private final class Deadline {
    private final Vertx vertx;
    private final HttpConnection connection;
    private long timer = -1;

    Deadline(Vertx vertx, HttpConnection connection) {
      this.vertx = vertx;
      this.connection = connection;
    }

    void arm() {
      cancel();
      timer = vertx.setTimer(headerTimeoutMs, id -> {
        timer = -1;
        listener.headTimedOut();
        connection.close();
      });
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
