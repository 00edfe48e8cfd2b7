package dev.pixels.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The HTTP conventions every feature's routes share: JSON answers, the API's error shape, routes
 * that answer HEAD like GET, and refusing a body without reading it. Kept apart from the web page
 * and canvas routes so that a feature adding routes needs nothing else from them.
 */
public final class Http {
  private Http() {}

  /**
   * A route answering GET and HEAD on {@code path}: every GET resource answers HEAD with the same
   * status and headers, and Vert.x leaves the body out.
   */
  public static Route getOrHead(Router router, String path) {
    return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD);
  }

  /**
   * Makes the answer to {@code ctx} close its HTTP/1.x connection if the request body is still
   * arriving, so that a refused body is not read to its end. Call before answering.
   */
  public static void closeUnreadBody(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.isEnded() || request.version() == HttpVersion.HTTP_2) {
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    // Not response().endHandler: the router keeps its own end handlers (timing, deadlines) there.
    ctx.addEndHandler(done -> request.connection().close());
  }

  /** Ends {@code ctx} with a JSON body. */
  public static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body);
  }

  /** Ends {@code ctx} with the API's error shape: {@code {"error": code, "message": text}}. */
  public static void error(RoutingContext ctx, int status, String code, String message) {
    if (ctx.response().ended()) {
      return;
    }
    json(ctx, status, new JsonObject().put("error", code).put("message", message).encode());
  }
}
