package dev.pixels.ops;

import dev.pixels.http.Http;
import dev.pixels.http.RouteContributor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code GET /metrics}: the Prometheus text exposition.
 *
 * <p>With {@code METRICS_TOKEN} set, a scrape must send {@code Authorization: Bearer <token>};
 * the comparison takes the same time whatever the guess, so the token cannot be found byte by
 * byte. The scrape itself runs on a worker thread, away from the event loops.
 *
 * <p>A scrape costs milliseconds of CPU, and the endpoint may be open to anyone: requests within
 * {@link #SHARED_FOR} of a scrape's start share that scrape, so a flood costs one scrape a second
 * however many requests it sends. Concurrency: the latest scrape is swapped atomically; whoever
 * loses the swap answers with the winner's.
 */
public final class MetricsEndpoint implements RouteContributor {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** How long the answer of one scrape serves later requests. */
  static final Duration SHARED_FOR = Duration.ofSeconds(1);

  private final PixelsMetrics metrics;
  private final byte[] expectedAuthorization; // null: open
  private final AtomicReference<Scrape> latest = new AtomicReference<>();

  /** One scrape, started at {@code startedNanos}, with the text it gives when done. */
  private record Scrape(long startedNanos, Future<String> text) {}

  /** {@code token} null means the endpoint is open (e.g. reachable only from a private network). */
  public MetricsEndpoint(PixelsMetrics metrics, String token) {
    this.metrics = metrics;
    this.expectedAuthorization = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void register(Router router) {
    Http.getOrHead(router, "/metrics").handler(this::scrape);
  }

  private void scrape(RoutingContext ctx) {
    if (!authorized(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      Http.error(ctx, 401, "unauthorized", "metrics need Authorization: Bearer <METRICS_TOKEN>");
      return;
    }
    Context context = Vertx.currentContext();
    shared(ctx.vertx()).onComplete(result -> context.runOnContext(v -> {
      if (result.failed()) {
        ctx.fail(500, result.cause());
      } else {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(result.result());
      }
    }));
  }

  /** The text of the latest scrape if it started within {@link #SHARED_FOR}, else of a new one. */
  private Future<String> shared(Vertx vertx) {
    long now = System.nanoTime();
    Scrape current = latest.get();
    if (current != null && now - current.startedNanos() < SHARED_FOR.toNanos()) {
      return current.text();
    }
    Promise<String> text = Promise.promise();
    Scrape next = new Scrape(now, text.future());
    if (!latest.compareAndSet(current, next)) {
      return latest.get().text();
    }
    vertx.executeBlocking(metrics::scrape, false).onComplete(text);
    return next.text();
  }

  boolean authorized(String authorization) {
    if (expectedAuthorization == null) {
      return true;
    }
    byte[] given = authorization == null ? new byte[0] : authorization.getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expectedAuthorization, given);
  }
}
