package dev.pixels.ratelimit;

import dev.pixels.identity.AdminToken;
import dev.pixels.http.Http;
import dev.pixels.http.RouteContributor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * Per-client-IP limits on the expensive REST reads: {@code /canvas}, {@code /canvas/image} and
 * the overlays {@code /canvas/heatmap} and {@code /canvas/virgin} share one budget, {@code /audit}
 * has its own, and so do pixel lookups ({@code /pixels/{x}/{y}}). Over the limit: 429 with {@code
 * Retry-After}.
 *
 * <p>The canvas and lookup limits exempt admins (exports, moderators inspecting pixels). The audit limit counts only requests that carry
 * the admin token: {@code /audit} is admin-only, its budget bounds the queries the token can make,
 * and refused requests (401/403) cost nothing to answer. It leaves out {@code type=moderation}:
 * that list is one bounded read of the moderation table, not a walk of the pixel log, and a
 * moderator's console follows it every few seconds. Handlers are installed ahead of every other
 * route on those paths.
 */
public final class RestLimits implements RouteContributor {
  /** Runs before every other handler of the limited paths. */
  static final int ORDER = -100;

  private final RateLimiter canvas;
  private final RateLimiter audit;
  private final RateLimiter lookups;
  private final AdminToken admin;
  private final Function<HttpServerRequest, String> clientAddress;

  public RestLimits(RateLimiter canvas, RateLimiter audit, RateLimiter lookups, AdminToken admin,
      Function<HttpServerRequest, String> clientAddress) {
    this.canvas = canvas;
    this.audit = audit;
    this.lookups = lookups;
    this.admin = admin;
    this.clientAddress = clientAddress;
  }

  @Override
  public void register(Router router) {
    router.route("/canvas").method(HttpMethod.GET).method(HttpMethod.HEAD).order(ORDER).handler(this::limitCanvas);
    router.route("/canvas/image").method(HttpMethod.GET).method(HttpMethod.HEAD).order(ORDER).handler(this::limitCanvas);
    router.route("/canvas/heatmap").method(HttpMethod.GET).method(HttpMethod.HEAD).order(ORDER)
        .handler(this::limitCanvas);
    router.route("/canvas/virgin").method(HttpMethod.GET).method(HttpMethod.HEAD).order(ORDER)
        .handler(this::limitCanvas);
    router.route("/pixels/:x/:y").method(HttpMethod.GET).method(HttpMethod.HEAD).order(ORDER)
        .handler(ctx -> exemptingAdmins(ctx, lookups));
    router.route("/audit").method(HttpMethod.GET).method(HttpMethod.HEAD).order(ORDER).handler(this::limitAudit);
  }

  /**
   * Counts only requests with the admin token: the others are refused by the audit route itself,
   * and must not spend the budget of the admin behind the same address.
   */
  private void limitAudit(RoutingContext ctx) {
    if (admin.checkHeader(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)) != AdminToken.Check.ADMIN
        || "moderation".equals(ctx.request().getParam("type"))) {
      ctx.next();
      return;
    }
    limit(ctx, audit);
  }

  private void limitCanvas(RoutingContext ctx) {
    exemptingAdmins(ctx, canvas);
  }

  private void exemptingAdmins(RoutingContext ctx, RateLimiter limiter) {
    if (admin.checkHeader(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)) == AdminToken.Check.ADMIN) {
      ctx.next();
      return;
    }
    limit(ctx, limiter);
  }

  private void limit(RoutingContext ctx, RateLimiter limiter) {
    long waitMs = limiter.tryAcquire(clientAddress.apply(ctx.request()));
    if (waitMs == 0) {
      ctx.next();
      return;
    }
    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString((waitMs + 999) / 1000));
    Http.error(ctx, 429, "rate_limited", "too many requests; retry after " + (waitMs + 999) / 1000 + " s");
  }
}
