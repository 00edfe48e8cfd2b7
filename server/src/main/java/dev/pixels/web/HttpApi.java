package dev.pixels.web;

import dev.pixels.canvas.CommittedCanvas;
import dev.pixels.canvas.Palette;
import dev.pixels.http.Http;
import dev.pixels.http.RouteContributor;
import dev.pixels.realtime.Broadcaster;
import dev.pixels.realtime.SocketHandler;
import dev.pixels.text.LogText;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public HTTP API: status, health, the canvas as bitmap and PNG, the palette, the web page and
 * the WebSocket upgrade. Features add further routes through {@link RouteContributor}s.
 *
 * <p>Handlers run on event loops and never block: canvas renderings come from {@link
 * CanvasImages}, health from a flag kept fresh by a background probe.
 */
public final class HttpApi {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  private final String version;
  private final int width;
  private final int height;
  private final Palette palette;
  private final CommittedCanvas canvas;
  private final Broadcaster broadcaster;
  private final CanvasImages images;
  private final SocketHandler sockets;
  private final BooleanSupplier storeHealthy;
  private final String storeName;
  private final Function<HttpServerRequest, String> clientAddress;
  private final List<RouteContributor> contributors;
  private final StaticAssets assets = StaticAssets.fromClasspath();
  // Monotonic, so that setting the system clock does not change the uptime reported.
  private final long startedAtNanos = System.nanoTime();
  private final String paletteJson;
  private volatile java.util.function.Supplier<String> degradedReason = () -> null;

  public HttpApi(String version, int width, int height, Palette palette, CommittedCanvas canvas,
      Broadcaster broadcaster, CanvasImages images, SocketHandler sockets, String storeName,
      BooleanSupplier storeHealthy, Function<HttpServerRequest, String> clientAddress,
      List<RouteContributor> contributors) {
    this.version = version;
    this.width = width;
    this.height = height;
    this.palette = palette;
    this.canvas = canvas;
    this.broadcaster = broadcaster;
    this.images = images;
    this.sockets = sockets;
    this.storeName = storeName;
    this.storeHealthy = storeHealthy;
    this.clientAddress = clientAddress;
    this.contributors = List.copyOf(contributors);
    this.paletteJson = new JsonObject().put("colors", new JsonArray(palette.colors())).encode();
  }

  /**
   * Makes {@code /health} say {@code degraded} (still 200: reads are served) whenever {@code
   * reason} returns a non-null explanation, e.g. while Redis is unreachable.
   */
  public void degradedWhen(java.util.function.Supplier<String> reason) {
    this.degradedReason = reason;
  }

  /** Builds the router for one HTTP server instance. */
  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    Http.getOrHead(router, "/").handler(this::root);
    Http.getOrHead(router, "/health").handler(this::health);
    Http.getOrHead(router, "/palette").handler(ctx -> Http.json(ctx, 200, paletteJson));
    router.route("/canvas").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::canvasBitmap);
    router.route("/canvas/image").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::canvasImage);
    Http.getOrHead(router, "/ws").handler(ctx -> {
      // Answered here rather than by a failed handshake, which would leave the connection open.
      if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
        Http.error(ctx, 400, "bad_request", "/ws is a WebSocket: send an upgrade request");
        return;
      }
      sockets.upgrade(ctx.request(), clientAddress.apply(ctx.request()));
    });
    Http.getOrHead(router, "/app").handler(ctx -> {
      // The route "/app" also matches "/app/", which must not redirect to itself.
      if (ctx.request().path().equals("/app")) {
        ctx.redirect("/app/");
      } else {
        ctx.next();
      }
    });
    router.route("/app/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(assets::handle);
    for (RouteContributor contributor : contributors) {
      contributor.register(router);
    }
    router.errorHandler(404, ctx -> Http.error(ctx, 404, "not_found", "no route for " + ctx.request().path()));
    router.errorHandler(405, ctx -> {
      ctx.response().putHeader(HttpHeaders.ALLOW, AllowedMethods.of(router.getRoutes(), ctx.request().path()));
      Http.error(ctx, 405, "method_not_allowed", ctx.request().method() + " is not allowed on " + ctx.request().path());
    });
    router.errorHandler(413, ctx -> {
      // The rest of an oversized body is not worth parsing.
      Http.closeUnreadBody(ctx);
      Http.error(ctx, 413, "payload_too_large", "the request body is too large");
    });
    router.errorHandler(400, ctx -> Http.error(ctx, 400, "bad_request", "the request is not valid"));
    router.errorHandler(500, ctx -> {
      log.error("request {} {} failed", ctx.request().method(), LogText.escape(ctx.request().path()), ctx.failure());
      Http.error(ctx, 500, "internal_error", "the server failed to answer this request");
    });
    return router;
  }

  private void root(RoutingContext ctx) {
    if (prefersHtml(ctx.request().getHeader(HttpHeaders.ACCEPT)) && assets.hasIndex()) {
      ctx.redirect("/app/");
      return;
    }
    JsonObject status = new JsonObject()
        .put("name", "pixels")
        .put("version", version)
        .put("canvas", new JsonObject().put("width", width).put("height", height))
        .put("seq", canvas.seq())
        .put("clients", broadcaster.clientCount())
        .put("uptimeSeconds", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedAtNanos))
        .put("links", new JsonObject()
            .put("canvas", "/canvas").put("image", "/canvas/image").put("palette", "/palette")
            .put("websocket", "/ws").put("health", "/health").put("app", "/app/"));
    Http.json(ctx, 200, status.encode());
  }

  /** True when the first media type of {@code accept} is text/html, as a browser sends it. */
  static boolean prefersHtml(String accept) {
    if (accept == null) {
      return false;
    }
    String first = accept.split(",", 2)[0].trim();
    return first.regionMatches(true, 0, "text/html", 0, "text/html".length());
  }

  private void health(RoutingContext ctx) {
    boolean ok = storeHealthy.getAsBoolean();
    String degraded = ok ? degradedReason.get() : null;
    JsonObject body = new JsonObject()
        .put("status", !ok ? "unavailable" : degraded != null ? "degraded" : "ok")
        .put("store", new JsonObject().put("kind", storeName).put("healthy", ok))
        .put("seq", canvas.seq());
    if (degraded != null) {
      body.put("degraded", degraded);
    }
    Http.json(ctx, ok ? 200 : 503, body.encode());
  }

  private void canvasBitmap(RoutingContext ctx) {
    withRendering(ctx, r -> sendBitmap(ctx, r));
  }

  private void canvasImage(RoutingContext ctx) {
    withRendering(ctx, r -> sendPng(ctx, images, r));
  }

  /** Answers with {@code r} as the {@code GET /canvas} bitmap (headers, 304, gzip); any rendering. */
  public static void sendBitmap(RoutingContext ctx, CanvasImages.Rendering r) {
    sendBitmap(ctx, r, "no-cache");
  }

  /**
   * Answers with {@code r} as {@link #sendBitmap(RoutingContext, CanvasImages.Rendering)} does, with
   * {@code cacheControl} instead of {@code no-cache}: e.g. a rendering that never changes.
   */
  public static void sendBitmap(RoutingContext ctx, CanvasImages.Rendering r, String cacheControl) {
    HttpServerResponse response = ctx.response();
    if (!canvasHeaders(ctx, r, cacheControl)) {
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
    if (acceptsGzip(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING))) {
      response.putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
      response.end(Buffer.buffer(r.gzip));
    } else {
      response.end(Buffer.buffer(r.raw));
    }
  }

  /** Answers with {@code r} as the {@code GET /canvas/image} PNG, encoded by {@code images}. */
  public static void sendPng(RoutingContext ctx, CanvasImages images, CanvasImages.Rendering r) {
    if (!canvasHeaders(ctx, r, "no-cache")) {
      return;
    }
    images.png(r).whenComplete((png, failure) -> ctx.vertx().runOnContext(v -> {
      if (failure != null) {
        ctx.fail(500, failure);
      } else {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "image/png").end(Buffer.buffer(png));
      }
    }));
  }

  /** Sets the headers common to canvas renderings; answers 304 and returns false if the client is current. */
  private static boolean canvasHeaders(RoutingContext ctx, CanvasImages.Rendering r, String cacheControl) {
    HttpServerResponse response = ctx.response();
    response.putHeader("X-Canvas-Width", Integer.toString(r.width));
    response.putHeader("X-Canvas-Height", Integer.toString(r.height));
    response.putHeader("X-Canvas-Seq", Long.toString(r.seq));
    response.putHeader(HttpHeaders.ETAG, r.etag);
    response.putHeader(HttpHeaders.CACHE_CONTROL, cacheControl);
    response.putHeader(HttpHeaders.VARY, "Accept-Encoding");
    response.putHeader("Access-Control-Expose-Headers", "X-Canvas-Width, X-Canvas-Height, X-Canvas-Seq, ETag");
    if (matchesEtag(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), r.etag)) {
      response.setStatusCode(304).end();
      return false;
    }
    return true;
  }

  private void withRendering(RoutingContext ctx, java.util.function.Consumer<CanvasImages.Rendering> then) {
    CompletableFuture<CanvasImages.Rendering> f = images.rendering();
    CanvasImages.Rendering ready = f.getNow(null);
    if (ready != null) {
      then.accept(ready);
      return;
    }
    f.whenComplete((r, failure) -> ctx.vertx().runOnContext(v -> {
      if (failure != null) {
        ctx.fail(500, failure);
      } else {
        then.accept(r);
      }
    }));
  }

  /** True if {@code ifNoneMatch} (a list of entity tags, or *) names {@code etag}. */
  static boolean matchesEtag(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals("*") || tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** True if {@code acceptEncoding} allows gzip (and does not give it q=0). */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String part : acceptEncoding.split(",")) {
      String[] pieces = part.trim().split(";");
      String coding = pieces[0].trim();
      if (coding.equalsIgnoreCase("gzip") || coding.equals("*")) {
        for (int i = 1; i < pieces.length; i++) {
          String p = pieces[i].trim().replace(" ", "");
          if (p.startsWith("q=")) {
            try {
              if (Double.parseDouble(p.substring(2)) <= 0) {
                return false;
              }
            } catch (NumberFormatException e) {
              return false;
            }
          }
        }
        return true;
      }
    }
    return false;
  }
}
