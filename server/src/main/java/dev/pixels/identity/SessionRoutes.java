package dev.pixels.identity;

import dev.pixels.http.Http;
import dev.pixels.http.RouteContributor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code POST /session}: issues an anonymous session token; see docs/protocol.md. */
public final class SessionRoutes implements RouteContributor {
  private final SessionTokens tokens;

  public SessionRoutes(SessionTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void register(Router router) {
    router.post("/session").handler(ctx -> {
      SessionTokens.Session session = tokens.issue();
      Http.json(ctx, 201, new JsonObject()
          .put("userId", session.userId())
          .put("token", session.token())
          .put("expiresAt", session.expiresAt().toString())
          .encode());
    });
  }
}
