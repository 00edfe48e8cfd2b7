package dev.pixels.abuse;

import dev.pixels.http.Http;
import dev.pixels.http.RouteContributor;
import dev.pixels.identity.AdminToken;
import dev.pixels.moderation.AdminGate;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.function.Function;

/**
 * {@code GET /admin/suspects}, the sessions ranked by {@link BotSignals}, each with the admin
 * requests that act on it; {@code POST /admin/pow/revoke}, which makes a session solve a new proof
 * of work (registered only when proof of work is on); and the hook that notes canvas loads.
 *
 * <p>The admin token is checked before anything else, the body of a revoke included.
 */
public final class SuspectRoutes implements RouteContributor {
  /** Runs before every other {@code /canvas} route, which it passes the request on to. */
  static final int CANVAS_LOAD_ORDER = -60;
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private final BotSignals signals;
  private final ProofOfWork pow;
  private final AdminGate gate;
  private final Function<HttpServerRequest, String> clientIp;

  /** With {@code pow} null when proof of work is off. */
  public SuspectRoutes(BotSignals signals, ProofOfWork pow, AdminToken admin,
      Function<HttpServerRequest, String> clientIp) {
    this.signals = signals;
    this.pow = pow;
    this.gate = new AdminGate(admin);
    this.clientIp = clientIp;
  }

  @Override
  public void register(Router router) {
    for (String path : new String[] {"/canvas", "/canvas/image"}) {
      router.route(path).method(HttpMethod.GET).order(CANVAS_LOAD_ORDER).handler(ctx -> {
        signals.canvasLoaded(clientIp.apply(ctx.request()));
        ctx.next();
      });
    }
    Http.getOrHead(router, "/admin/suspects").handler(gate).handler(this::suspects);
    if (pow != null) {
      BodyHandler body = BodyHandler.create(false).setBodyLimit(4096).setMergeFormAttributes(false);
      router.post("/admin/pow/revoke").handler(gate).handler(body).handler(this::revoke);
    }
  }

  private void suspects(RoutingContext ctx) {
    int limit = DEFAULT_LIMIT;
    String raw = ctx.request().getParam("limit");
    if (raw != null) {
      try {
        limit = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        Http.error(ctx, 400, "bad_request", "limit must be a whole number in 1.." + MAX_LIMIT);
        return;
      }
    }
    JsonArray list = new JsonArray();
    for (BotSignals.Suspect s : signals.ranked(limit)) {
      list.add(new JsonObject()
          .put("userId", s.userId())
          .put("lastIp", s.lastIp())
          .put("score", s.score())
          .put("signals", new JsonObject()
              .put("placements", s.placements())
              .put("intervalCv", Double.isNaN(s.intervalCv()) ? null : s.intervalCv())
              .put("meanIntervalMs", Double.isNaN(s.meanIntervalMs()) ? null : Math.round(s.meanIntervalMs()))
              .put("noBootstrapShare", Math.round(s.noBootstrapShare() * 1000) / 1000.0)
              .put("noSession", s.noSession()))
          .put("firstAt", Instant.ofEpochMilli(s.firstAtMillis()).toString())
          .put("lastAt", Instant.ofEpochMilli(s.lastAtMillis()).toString())
          .put("actions", actions(s)));
    }
    Http.json(ctx, 200, new JsonObject().put("suspects", list).put("untracked", signals.untracked()).encode());
  }

  /** The admin requests a moderator may send for {@code s}, ready to be sent as they are. */
  private JsonObject actions(BotSignals.Suspect s) {
    JsonObject actions = new JsonObject()
        .put("ban", request("/admin/bans", new JsonObject().put("userId", s.userId()).put("reason", "bot signals")))
        .put("rollback", request("/admin/rollback", new JsonObject().put("userId", s.userId())
            .put("since", Instant.ofEpochMilli(s.firstAtMillis()).toString())));
    if (pow != null) {
      actions.put("requireProofOfWork", request("/admin/pow/revoke", new JsonObject().put("userId", s.userId())));
    }
    return actions;
  }

  private static JsonObject request(String path, JsonObject body) {
    return new JsonObject().put("method", "POST").put("path", path).put("body", body);
  }

  private void revoke(RoutingContext ctx) {
    String userId;
    try {
      JsonObject json = ctx.body().asJsonObject();
      userId = json != null && json.getValue("userId") instanceof String s && !s.isEmpty() && s.length() <= 256 ? s : null;
    } catch (DecodeException e) {
      userId = null;
    }
    if (userId == null) {
      Http.error(ctx, 400, "bad_request", "the body must be {\"userId\": \"...\"}");
      return;
    }
    Http.json(ctx, 200, new JsonObject().put("userId", userId).put("hadSolution", pow.revoke(userId)).encode());
  }
}
