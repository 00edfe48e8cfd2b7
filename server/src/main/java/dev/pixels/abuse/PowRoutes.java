package dev.pixels.abuse;

import dev.pixels.http.Http;
import dev.pixels.http.RouteContributor;
import dev.pixels.identity.AdminToken;
import dev.pixels.identity.IdentityProvider;
import dev.pixels.identity.SessionTokens;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code GET /pow/challenge} and {@code POST /pow/solution}: the proof-of-work exchange; see
 * docs/identity.md. Registered only when proof of work is on, so a page can tell from a 404 that
 * it is off.
 *
 * <p>The solution route checks the session token before a byte of the body is read.
 */
public final class PowRoutes implements RouteContributor {
  static final int MAX_BODY_BYTES = 4096;

  private final ProofOfWork pow;
  private final SessionTokens sessions;

  public PowRoutes(ProofOfWork pow, SessionTokens sessions) {
    this.pow = pow;
    this.sessions = sessions;
  }

  @Override
  public void register(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES).setMergeFormAttributes(false);
    Http.getOrHead(router, "/pow/challenge").handler(ctx -> {
      ProofOfWork.Challenge c = pow.issue();
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
      Http.json(ctx, 200, new JsonObject().put("algorithm", c.algorithm()).put("challenge", c.challenge())
          .put("maxnumber", c.maxnumber()).put("salt", c.salt()).put("signature", c.signature()).encode());
    });
    router.post("/pow/solution").handler(new SessionGate(sessions)).handler(body).handler(this::solution);
  }

  private void solution(RoutingContext ctx) {
    String userId = ctx.get(SessionGate.USER_ID);
    String payload;
    try {
      JsonObject json = ctx.body().asJsonObject();
      payload = json == null ? null : json.getValue("payload") instanceof String s ? s : null;
    } catch (DecodeException e) {
      payload = null;
    }
    if (payload == null) {
      Http.error(ctx, 400, "bad_request", "the body must be {\"payload\": \"<base64 ALTCHA payload>\"}");
      return;
    }
    switch (pow.redeem(userId, payload)) {
      case ProofOfWork.Granted g -> Http.json(ctx, 200,
          new JsonObject().put("pixels", g.pixels()).put("until", g.until().toString()).encode());
      case ProofOfWork.Refused r -> Http.error(ctx, r.code().equals("pow_busy") ? 503 : 400, r.code(), r.message());
    }
  }

  /** Lets through requests with a valid session token, remembering its user id; 401 otherwise. */
  static final class SessionGate implements io.vertx.ext.web.handler.SecurityPolicyHandler {
    static final String USER_ID = "pixels.userId";
    private final SessionTokens sessions;

    SessionGate(SessionTokens sessions) {
      this.sessions = sessions;
    }

    @Override
    public void handle(RoutingContext ctx) {
      String token = AdminToken.bearer(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
      String refusal = "this endpoint needs Authorization: Bearer <session token>; POST /session for one";
      if (token != null) {
        try {
          ctx.put(USER_ID, sessions.verify(token));
          ctx.next();
          return;
        } catch (IdentityProvider.IdentityRejectedException e) {
          refusal = e.getMessage();
        }
      }
      Http.closeUnreadBody(ctx);
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      Http.error(ctx, 401, "unauthorized", refusal);
    }
  }
}
