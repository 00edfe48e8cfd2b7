package dev.pixels.web;

import dev.pixels.http.RouteContributor;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may show the web page ({@code /app/}) inside a frame: nobody by default, so another site
 * cannot overlay it and trick a visitor into painting (clickjacking); an operator may name the
 * allowed embedders ({@code FRAME_ANCESTORS}).
 */
public final class FramingPolicy implements RouteContributor {
  /** Runs before the page's own handler, so every answer under {@code /app/} carries the headers. */
  static final int ORDER = -10;

  private final String frameAncestors;

  /** {@code frameAncestors}: CSP {@code frame-ancestors} sources, or null for none. */
  public FramingPolicy(String frameAncestors) {
    this.frameAncestors = frameAncestors;
  }

  @Override
  public void register(Router router) {
    router.route("/app/*").method(HttpMethod.GET).method(HttpMethod.HEAD).order(ORDER).handler(this::headers);
  }

  private void headers(RoutingContext ctx) {
    if (frameAncestors == null) {
      ctx.response().putHeader("X-Frame-Options", "DENY");
      ctx.response().putHeader("Content-Security-Policy", "frame-ancestors 'none'");
    } else {
      // X-Frame-Options cannot name other sites; browsers that know CSP ignore it anyway.
      ctx.response().putHeader("Content-Security-Policy", "frame-ancestors " + frameAncestors);
    }
    ctx.next();
  }
}
