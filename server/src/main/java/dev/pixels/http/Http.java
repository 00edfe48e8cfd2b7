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
  /** Most of a refused body read and thrown away before its connection is closed. */
  public static final long REFUSED_BODY_MAX_BYTES = 1024 * 1024;
  /** Longest a refused body is read and thrown away, from the answer, before its connection is closed. */
  public static final long REFUSED_BODY_MAX_MILLIS = 2000;

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
   * arriving, so that a refused body is neither parsed nor waited for to its end. Call before
   * answering.
   *
   * <p>The close lingers (see {@link RefusedBody}): the answer is sent with {@code Connection:
   * close}, the server then stops writing, and reads and throws away the rest of the body, at most
   * {@link #REFUSED_BODY_MAX_BYTES} of it and for at most {@link #REFUSED_BODY_MAX_MILLIS}, before
   * closing, so that the client reliably reads the answer.
   */
  public static void closeUnreadBody(RoutingContext ctx) {
    closeUnreadBody(ctx, REFUSED_BODY_MAX_BYTES, REFUSED_BODY_MAX_MILLIS);
  }

  /** {@link #closeUnreadBody(RoutingContext)} with other bounds on the rest of the body. */
  static void closeUnreadBody(RoutingContext ctx, long maxBytes, long maxMillis) {
    HttpServerRequest request = ctx.request();
    if (request.isEnded() || request.version() == HttpVersion.HTTP_2) {
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
    // Not response().endHandler: the router keeps its own end handlers (timing, deadlines) there.
    ctx.addEndHandler(done -> {
      if (done.succeeded()) {
        RefusedBody.drainThenClose(ctx.vertx(), request, maxBytes, maxMillis);
      } else {
        request.connection().close();
      }
    });
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
