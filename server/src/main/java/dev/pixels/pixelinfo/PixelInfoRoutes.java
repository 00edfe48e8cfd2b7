package dev.pixels.pixelinfo;

import dev.pixels.http.Http;
import dev.pixels.http.RouteContributor;
import dev.pixels.identity.AdminToken;
import dev.pixels.identity.Pseudonyms;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The public pixel-info routes: {@code GET /pixels/{x}/{y}} (who placed a pixel, when, in which
 * colour, and how often it changed), {@code GET /canvas/heatmap} and {@code GET /canvas/virgin}.
 * Every answer comes from the {@link PixelIndex}; none reads the store.
 *
 * <p>"By whom" is a {@link Pseudonyms pseudonym}, never the user id, and is left out when the
 * operator turns it off; the user id itself is added only for a request with the admin token,
 * which is checked before anything else (a wrong token is refused, 403). IP addresses are never
 * kept by the index, so none can be shown. The per-IP limits run before these handlers ({@code
 * RestLimits}).
 *
 * <p>Handlers run on event loops: a lookup is one constant-time read of the index; images are
 * drawn on the encoder executor by {@link OverlayImages}.
 */
public final class PixelInfoRoutes implements RouteContributor {
  /** The longest heatmap window. */
  static final Duration MAX_WINDOW = Duration.ofDays(7);
  /** The shortest heatmap window. */
  static final Duration MIN_WINDOW = Duration.ofMinutes(1);
  private static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
  private static final Pattern WINDOW = Pattern.compile("([1-9][0-9]{0,6})([smhd])");
  private static final Pattern COORDINATE = Pattern.compile("[0-9]{1,9}");

  private final PixelIndex index;
  private final OverlayImages overlays;
  private final Pseudonyms pseudonyms;
  private final AdminToken admin;
  private final boolean showUser;

  public PixelInfoRoutes(PixelIndex index, OverlayImages overlays, Pseudonyms pseudonyms, AdminToken admin,
      boolean showUser) {
    this.index = index;
    this.overlays = overlays;
    this.pseudonyms = pseudonyms;
    this.admin = admin;
    this.showUser = showUser;
  }

  @Override
  public void register(Router router) {
    Http.getOrHead(router, "/pixels/:x/:y").handler(this::lookup);
    Http.getOrHead(router, "/canvas/heatmap").handler(this::heatmap);
    Http.getOrHead(router, "/canvas/virgin").handler(this::virgin);
  }

  private void lookup(RoutingContext ctx) {
    AdminToken.Check check = admin.checkHeader(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (check == AdminToken.Check.WRONG) {
      Http.error(ctx, 403, "forbidden", "the bearer token is not the admin token; send none for the public view");
      return;
    }
    int x = coordinate(ctx.pathParam("x"), index.width());
    int y = coordinate(ctx.pathParam("y"), index.height());
    if (x < 0 || y < 0) {
      Http.error(ctx, 400, "bad_coordinates", "x must be a whole number in 0.." + (index.width() - 1)
          + " and y in 0.." + (index.height() - 1));
      return;
    }
    if (!ready(ctx)) {
      return;
    }
    PixelIndex.Info info = index.lookup(x, y);
    JsonObject body = new JsonObject().put("x", x).put("y", y).put("changes", info.changes());
    PixelIndex.Placement latest = info.latest();
    if (latest == null) {
      body.putNull("placement");
    } else {
      JsonObject placement = new JsonObject()
          .put("seq", latest.seq())
          .put("time", latest.timeMillis())
          .put("color", latest.color());
      if (latest.tool() != null) {
        placement.put("tool", latest.tool().wireName());
      }
      boolean isAdmin = check == AdminToken.Check.ADMIN;
      if (latest.userId() != null && (showUser || isAdmin)) {
        placement.put("by", pseudonyms.of(latest.userId()));
      }
      if (latest.userId() != null && isAdmin) {
        placement.put("userId", latest.userId());
      }
      body.put("placement", placement);
    }
    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    Http.json(ctx, 200, body.encode());
  }

  private void heatmap(RoutingContext ctx) {
    Duration window = window(ctx.request().getParam("window"));
    if (window == null) {
      Http.error(ctx, 400, "bad_window", "window must be a whole number followed by s, m, h or d (e.g. 15m, 1h, 24h), "
          + "from " + MIN_WINDOW.toMinutes() + "m to " + MAX_WINDOW.toDays() + "d");
      return;
    }
    if (ready(ctx)) {
      sendPng(ctx, overlays.heatmap(window));
    }
  }

  private void virgin(RoutingContext ctx) {
    if (ready(ctx)) {
      sendPng(ctx, overlays.virgin());
    }
  }

  private boolean ready(RoutingContext ctx) {
    if (index.isComplete()) {
      return true;
    }
    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
    Http.error(ctx, 503, "unavailable", "the pixel index is still being rebuilt from the log; retry shortly");
    return false;
  }

  private void sendPng(RoutingContext ctx, CompletableFuture<byte[]> png) {
    png.whenComplete((bytes, failure) -> ctx.vertx().runOnContext(v -> {
      if (failure != null) {
        ctx.fail(500, failure);
        return;
      }
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "image/png")
          .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=" + Math.max(1, overlays.maxAge().toSeconds()))
          .putHeader("X-Canvas-Width", Integer.toString(index.width()))
          .putHeader("X-Canvas-Height", Integer.toString(index.height()))
          .end(Buffer.buffer(bytes));
    }));
  }

  /** The coordinate {@code text} names if it is a whole number below {@code size}, else -1. */
  static int coordinate(String text, int size) {
    if (text == null || !COORDINATE.matcher(text).matches()) {
      return -1;
    }
    int value = Integer.parseInt(text);
    return value < size ? value : -1;
  }

  /** The heatmap window {@code text} names (the default when absent), or null if it is not valid. */
  static Duration window(String text) {
    if (text == null) {
      return DEFAULT_WINDOW;
    }
    Matcher m = WINDOW.matcher(text);
    if (!m.matches()) {
      return null;
    }
    long amount = Long.parseLong(m.group(1));
    Duration window = switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
    return window.compareTo(MIN_WINDOW) < 0 || window.compareTo(MAX_WINDOW) > 0 ? null : window;
  }
}
