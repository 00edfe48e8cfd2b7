package dev.pixels.moderation;

import dev.pixels.http.Http;
import dev.pixels.identity.AdminToken;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;

/**
 * The admin check of every moderation route: 401 without a bearer token, 403 with a wrong one,
 * otherwise on to the next handler.
 *
 * <p>It is a {@link SecurityPolicyHandler} so that Vert.x lets it run before the body handler:
 * nobody without the token gets a byte of their body parsed or kept. A refused request whose body is still
 * arriving is answered with {@code Connection: close}, and the rest of that body is thrown away
 * unparsed, bounded, before the connection closes (see {@link Http#closeUnreadBody}).
 */
public final class AdminGate implements SecurityPolicyHandler {
  private final AdminToken admin;

  public AdminGate(AdminToken admin) {
    this.admin = admin;
  }

  @Override
  public void handle(RoutingContext ctx) {
    AdminToken.Check check = admin.checkHeader(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (check == AdminToken.Check.ADMIN) {
      ctx.next();
      return;
    }
    Http.closeUnreadBody(ctx);
    if (check == AdminToken.Check.MISSING) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      Http.error(ctx, 401, "unauthorized", "this endpoint needs Authorization: Bearer <admin token>");
    } else {
      Http.error(ctx, 403, "forbidden", "the bearer token is not the admin token");
    }
  }
}
