package dev.pixels.http;

import io.vertx.ext.web.Router;

/** A feature that adds its own HTTP routes (moderation, metrics, sessions, ...). */
public interface RouteContributor {

  /** Adds routes to {@code router}; called once per HTTP server instance, before it listens. */
  void register(Router router);
}
