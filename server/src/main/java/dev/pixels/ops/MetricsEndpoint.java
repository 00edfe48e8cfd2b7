package dev.pixels.ops;

import dev.pixels.http.Http;
import dev.pixels.http.RouteContributor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: the Prometheus text exposition.
 *
 * <p>With {@code METRICS_TOKEN} set, a scrape must send {@code Authorization: Bearer <token>};
 * the comparison takes the same time whatever the guess, so the token cannot be found byte by
 * byte. The scrape itself runs on a worker thread, away from the event loops.
 */
public final class MetricsEndpoint implements RouteContributor {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PixelsMetrics metrics;
  private final byte[] expectedAuthorization; // null: open

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
    ctx.vertx().executeBlocking(metrics::scrape, false).onComplete(result -> {
      if (result.failed()) {
        ctx.fail(500, result.cause());
      } else {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(result.result());
      }
    });
  }

  boolean authorized(String authorization) {
    if (expectedAuthorization == null) {
      return true;
    }
    byte[] given = authorization == null ? new byte[0] : authorization.getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expectedAuthorization, given);
  }
}
