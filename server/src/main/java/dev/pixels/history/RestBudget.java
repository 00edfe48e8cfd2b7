package dev.pixels.history;

import dev.pixels.http.Http;
import dev.pixels.identity.AdminToken;
import dev.pixels.ratelimit.RateLimiter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * A per-client-address request budget for the history routes, like the {@code /canvas} one: 429
 * with {@code Retry-After} beyond it; requests with the admin token do not count.
 */
final class RestBudget {
  private final RateLimiter limiter;
  private final AdminToken admin;
  private final Function<HttpServerRequest, String> clientAddress;

  RestBudget(RateLimiter limiter, AdminToken admin, Function<HttpServerRequest, String> clientAddress) {
    this.limiter = limiter;
    this.admin = admin;
    this.clientAddress = clientAddress;
  }

  /** Takes one request from the budget of {@code ctx}'s client, or answers 429 and returns false. */
  boolean take(RoutingContext ctx) {
    if (admin.checkHeader(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)) == AdminToken.Check.ADMIN) {
      return true;
    }
    long waitMs = limiter.tryAcquire(clientAddress.apply(ctx.request()));
    if (waitMs == 0) {
      return true;
    }
    long seconds = (waitMs + 999) / 1000;
    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
    Http.error(ctx, 429, "rate_limited", "too many requests; retry after " + seconds + " s");
    return false;
  }
}
