package dev.pixels.ops;

import dev.pixels.http.Http;
import dev.pixels.http.RouteContributor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /ready}: 200 when every {@link ReadinessCheck} passes, otherwise 503 naming each part
 * that fails. {@code GET /health} stays the liveness probe.
 */
public final class ReadinessEndpoint implements RouteContributor {
  private final List<ReadinessCheck> checks;

  public ReadinessEndpoint(List<ReadinessCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  @Override
  public void register(Router router) {
    Http.getOrHead(router, "/ready").handler(this::ready);
  }

  private void ready(RoutingContext ctx) {
    JsonObject parts = new JsonObject();
    List<String> failing = new ArrayList<>();
    for (ReadinessCheck check : checks) {
      String problem;
      try {
        problem = check.problem();
      } catch (RuntimeException e) {
        problem = "check failed: " + e.getMessage();
      }
      parts.put(check.name(), problem == null ? "ok" : problem);
      if (problem != null) {
        failing.add(check.name() + ": " + problem);
      }
    }
    if (failing.isEmpty()) {
      Http.json(ctx, 200, new JsonObject().put("status", "ready").put("checks", parts).encode());
    } else {
      Http.json(ctx, 503, new JsonObject().put("error", "not_ready")
          .put("message", String.join("; ", failing)).put("checks", parts).encode());
    }
  }
}
