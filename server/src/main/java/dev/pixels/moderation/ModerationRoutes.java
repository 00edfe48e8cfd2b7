package dev.pixels.moderation;

import dev.pixels.canvas.Palette;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Region;
import dev.pixels.http.Http;
import dev.pixels.identity.AdminToken;
import dev.pixels.identity.IpText;
import dev.pixels.identity.TokenIdentities;
import dev.pixels.storage.HistoryQuery;
import dev.pixels.text.LogText;
import dev.pixels.web.CanvasImages;
import dev.pixels.web.HttpApi;
import dev.pixels.http.RouteContributor;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moderation HTTP API: {@code /locks}, {@code /audit}, {@code /admin/rollback}, {@code
 * /admin/rewind}, {@code /admin/bans} and the admin-only {@code ?at=} form of {@code /canvas} and
 * {@code /canvas/image}. See docs/moderation.md.
 *
 * <p>Handlers run on event loops; they validate, then hand the work to {@link Moderation}, whose
 * threads do the blocking part, and answer on the request's own context when it completes.
 */
public final class ModerationRoutes implements RouteContributor {
  private static final Logger log = LoggerFactory.getLogger(ModerationRoutes.class);
  /** Runs before the plain canvas routes, so that {@code ?at=} is answered here. */
  public static final int HISTORICAL_CANVAS_ORDER = -50;
  static final int MAX_AUDIT_LIMIT = 1000;
  static final int MAX_REASON_LENGTH = 500;
  /** Most pixels a rollback or rewind preview lists; it counts them all. */
  static final int MAX_PREVIEW_PIXELS = 10_000;
  /** The earliest time a request may name. */
  static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
  /** The latest time a request may name. */
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
  /** Largest admin request body; every admin body is a small JSON object. */
  static final int MAX_BODY_BYTES = 16 * 1024;
  /** What a refused repair's {@code Retry-After} suggests: about what a large repair takes. */
  static final int REPAIR_RETRY_AFTER_SECONDS = 5;

  private final Moderation moderation;
  private final AdminToken admin;
  private final Palette palette;
  private final int width;
  private final int height;
  private final CanvasImages images;
  private final AdminGate adminGate;
  private final InstantSource clock;

  public ModerationRoutes(Moderation moderation, AdminToken admin, Palette palette, int width, int height,
      CanvasImages images, InstantSource clock) {
    this.clock = clock;
    this.moderation = moderation;
    this.admin = admin;
    this.palette = palette;
    this.width = width;
    this.height = height;
    this.images = images;
    this.adminGate = new AdminGate(admin);
  }

  @Override
  public void register(Router router) {
    // No uploads: a multipart part would otherwise be written under the working directory.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES).setMergeFormAttributes(false);
    router.route("/canvas").method(HttpMethod.GET).method(HttpMethod.HEAD).order(HISTORICAL_CANVAS_ORDER).handler(ctx -> historicalCanvas(ctx, false));
    router.route("/canvas/image").method(HttpMethod.GET).method(HttpMethod.HEAD).order(HISTORICAL_CANVAS_ORDER).handler(ctx -> historicalCanvas(ctx, true));
    Http.getOrHead(router, "/locks").handler(this::listLocks);
    router.post("/locks").handler(adminGate).handler(body).handler(guarded(this::createLock));
    router.delete("/locks/:x1/:y1/:x2/:y2").handler(adminGate).handler(guarded(this::deleteLock));
    Http.getOrHead(router, "/audit").handler(adminGate).handler(guarded(this::audit));
    router.post("/admin/rollback").handler(adminGate).handler(body).handler(guarded(this::rollback));
    router.post("/admin/rewind").handler(adminGate).handler(body).handler(guarded(this::rewind));
    router.post("/admin/rollback/preview").handler(adminGate).handler(body).handler(guarded(this::previewRollback));
    router.post("/admin/rewind/preview").handler(adminGate).handler(body).handler(guarded(this::previewRewind));
    router.post("/admin/bans").handler(adminGate).handler(body).handler(guarded(this::ban));
    Http.getOrHead(router, "/admin/bans").handler(adminGate).handler(this::listBans);
    router.delete("/admin/bans/:id").handler(adminGate).handler(guarded(this::unban));
  }

  private void historicalCanvas(RoutingContext ctx, boolean png) {
    String at = ctx.request().getParam("at");
    if (at == null) {
      ctx.next();
      return;
    }
    AdminToken.Check check = admin.checkHeader(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (check != AdminToken.Check.ADMIN) {
      adminGate.handle(ctx);
      return;
    }
    guarded(c -> answer(c, moderation.canvasAt(instant("at", at)).thenApply(s -> CanvasImages.render(s, System.nanoTime())),
        (cc, rendering) -> {
          if (png) {
            HttpApi.sendPng(cc, images, rendering);
          } else {
            HttpApi.sendBitmap(cc, rendering);
          }
        })).handle(ctx);
  }

  private void listLocks(RoutingContext ctx) {
    JsonArray locks = new JsonArray();
    moderation.activeLocks().forEach(l -> locks.add(ModerationJson.lock(l)));
    Http.json(ctx, 200, new JsonObject().put("locks", locks).encode());
  }

  private void createLock(RoutingContext ctx) {
    JsonObject json = bodyOf(ctx);
    Region region = regionOnCanvas(json);
    String reason = optionalText(json, "reason");
    Instant expiresAt = optionalInstant(json, "expiresAt");
    if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
      throw new BadRequest("expiresAt must be in the future");
    }
    answer(ctx, moderation.lock(region, reason, expiresAt, TokenIdentities.ADMIN_USER_ID),
        (c, lock) -> Http.json(c, 201, ModerationJson.lock(lock).encode()));
  }

  private void deleteLock(RoutingContext ctx) {
    Region region = region(pathInt(ctx, "x1"), pathInt(ctx, "y1"), pathInt(ctx, "x2"), pathInt(ctx, "y2"));
    answer(ctx, moderation.unlock(region, TokenIdentities.ADMIN_USER_ID), (c, removed) -> {
      if (removed.isPresent()) {
        c.response().setStatusCode(204).end();
      } else {
        Http.error(c, 404, "not_found", "there is no lock on exactly that rectangle");
      }
    });
  }

  private void audit(RoutingContext ctx) {
    int limit = (int) queryLong(ctx, "limit", 100, 1, MAX_AUDIT_LIMIT);
    long before = queryLong(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
    String type = ctx.request().getParam("type", "pixel");
    if (type.equals("moderation")) {
      answer(ctx, moderation.moderationLog(before, limit), (c, entries) -> {
        JsonArray out = new JsonArray();
        entries.forEach(e -> out.add(ModerationJson.audit(e)));
        Long next = entries.size() == limit ? entries.get(entries.size() - 1).id() : null;
        Http.json(c, 200, new JsonObject().put("entries", out).put("next", next).encode());
      });
      return;
    }
    if (!type.equals("pixel")) {
      throw new BadRequest("type must be pixel or moderation");
    }
    HistoryQuery query = new HistoryQuery(emptyToNull(ctx.request().getParam("userId")), auditRegion(ctx),
        queryInstant(ctx, "since", Long.MIN_VALUE), queryInstant(ctx, "until", Long.MAX_VALUE), before, limit);
    answer(ctx, moderation.pixelHistory(query), (c, changes) -> {
      JsonArray out = new JsonArray();
      for (PixelChange change : changes) {
        out.add(ModerationJson.pixel(change, palette));
      }
      Long next = changes.size() == limit ? changes.get(changes.size() - 1).seq() : null;
      Http.json(c, 200, new JsonObject().put("entries", out).put("next", next).encode());
    });
  }

  /** The fields of a rollback request, checked. */
  private record RollbackRequest(String userId, Instant since, Region region) {}

  private RollbackRequest rollbackRequest(JsonObject json) {
    String userId = required(optionalText(json, "userId"), "userId is required");
    Instant since = required(optionalInstant(json, "since"), "since is required (ISO-8601, e.g. 2025-01-18T19:53:00Z)");
    Region region = json.containsKey("x1") || json.containsKey("y1") || json.containsKey("x2") || json.containsKey("y2")
        ? regionOnCanvas(json) : null;
    return new RollbackRequest(userId, since, region);
  }

  private static Instant rewindTo(JsonObject json) {
    return required(optionalInstant(json, "to"), "to is required (ISO-8601, e.g. 2025-01-18T19:53:00Z)");
  }

  private void rollback(RoutingContext ctx) {
    RollbackRequest r = rollbackRequest(bodyOf(ctx));
    answer(ctx, moderation.rollback(r.userId(), r.since(), r.region(), TokenIdentities.ADMIN_USER_ID),
        (c, result) -> Http.json(c, 200, ModerationJson.editResult(result).encode()));
  }

  private void previewRollback(RoutingContext ctx) {
    RollbackRequest r = rollbackRequest(bodyOf(ctx));
    answer(ctx, moderation.previewRollback(r.userId(), r.since(), r.region(), MAX_PREVIEW_PIXELS),
        (c, preview) -> Http.json(c, 200, ModerationJson.preview(preview, palette).encode()));
  }

  private void rewind(RoutingContext ctx) {
    JsonObject json = bodyOf(ctx);
    Region region = regionOnCanvas(json);
    answer(ctx, moderation.rewind(region, rewindTo(json), TokenIdentities.ADMIN_USER_ID),
        (c, result) -> Http.json(c, 200, ModerationJson.editResult(result).encode()));
  }

  private void previewRewind(RoutingContext ctx) {
    JsonObject json = bodyOf(ctx);
    Region region = regionOnCanvas(json);
    answer(ctx, moderation.previewRewind(region, rewindTo(json), MAX_PREVIEW_PIXELS),
        (c, preview) -> Http.json(c, 200, ModerationJson.preview(preview, palette).encode()));
  }

  private void ban(RoutingContext ctx) {
    JsonObject json = bodyOf(ctx);
    String userId = optionalText(json, "userId");
    String ip = optionalText(json, "ip");
    if ((userId == null) == (ip == null)) {
      throw new BadRequest("give exactly one of userId and ip");
    }
    if (ip != null) {
      if (!IpText.isIp(ip)) {
        throw new BadRequest("ip must be an IPv4 or IPv6 address, e.g. 203.0.113.7 or 2001:db8::1");
      }
      // Stored in the form client addresses are compared in, so that "::1" bans the peer 0:0:0:0:0:0:0:1.
      ip = IpText.canonical(ip);
    }
    Instant until = optionalInstant(json, "until");
    Instant rollbackSince = optionalInstant(json, "rollbackSince");
    if (rollbackSince != null && userId == null) {
      throw new BadRequest("rollbackSince needs userId: the pixel log records users, not addresses");
    }
    Ban.Kind kind = userId != null ? Ban.Kind.USER : Ban.Kind.IP;
    answer(ctx, moderation.ban(kind, userId != null ? userId : ip, until, optionalText(json, "reason"), rollbackSince,
        TokenIdentities.ADMIN_USER_ID), (c, result) -> {
          JsonObject out = ModerationJson.ban(result.ban());
          if (result.rollback() != null) {
            out.put("rollback", ModerationJson.editResult(result.rollback()));
          }
          Http.json(c, 201, out.encode());
        });
  }

  private void listBans(RoutingContext ctx) {
    JsonArray bans = new JsonArray();
    moderation.activeBans().forEach(b -> bans.add(ModerationJson.ban(b)));
    Http.json(ctx, 200, new JsonObject().put("bans", bans).encode());
  }

  private void unban(RoutingContext ctx) {
    answer(ctx, moderation.unban(ctx.pathParam("id"), TokenIdentities.ADMIN_USER_ID), (c, removed) -> {
      if (removed.isPresent()) {
        c.response().setStatusCode(204).end();
      } else {
        Http.error(c, 404, "not_found", "there is no ban with that id");
      }
    });
  }

  // ---- plumbing ----

  /** A client mistake, answered with 400 and its message. */
  private static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }

  private static Handler<RoutingContext> guarded(Handler<RoutingContext> h) {
    return ctx -> {
      try {
        h.handle(ctx);
      } catch (BadRequest e) {
        Http.error(ctx, 400, "bad_request", e.getMessage());
      }
    };
  }

  private static <T> void answer(RoutingContext ctx, CompletableFuture<T> work, BiConsumer<RoutingContext, T> ok) {
    Context context = Vertx.currentContext();
    work.whenComplete((value, failure) -> context.runOnContext(v -> {
      if (failure == null) {
        ok.accept(ctx, value);
        return;
      }
      Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof Moderation.TooManyRepairs) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(REPAIR_RETRY_AFTER_SECONDS));
        Http.error(ctx, 429, "too_many_repairs", cause.getMessage());
        return;
      }
      log.error("moderation request {} {} failed", ctx.request().method(), LogText.escape(ctx.request().path()), cause);
      Http.error(ctx, 503, "unavailable", "the moderation action could not be completed: " + cause.getMessage());
    }));
  }

  private static JsonObject bodyOf(RoutingContext ctx) {
    try {
      JsonObject json = ctx.body().asJsonObject();
      if (json == null) {
        throw new BadRequest("the request needs a JSON object body");
      }
      return json;
    } catch (DecodeException | ClassCastException e) {
      throw new BadRequest("the body is not a JSON object");
    }
  }

  private Region regionOnCanvas(JsonObject json) {
    Region region = region(requiredInt(json, "x1"), requiredInt(json, "y1"), requiredInt(json, "x2"),
        requiredInt(json, "y2"));
    if (!region.fitsIn(width, height)) {
      throw new BadRequest("the rectangle must lie on the " + width + "x" + height + " canvas");
    }
    return region;
  }

  private static Region region(int x1, int y1, int x2, int y2) {
    if (x1 > x2 || y1 > y2) {
      throw new BadRequest("a rectangle needs x1 <= x2 and y1 <= y2");
    }
    return new Region(x1, y1, x2, y2);
  }

  private Region auditRegion(RoutingContext ctx) {
    if (ctx.request().getParam("x") != null || ctx.request().getParam("y") != null) {
      int x = (int) queryLong(ctx, "x", -1, 0, width - 1);
      int y = (int) queryLong(ctx, "y", -1, 0, height - 1);
      if (x < 0 || y < 0) {
        throw new BadRequest("give both x and y");
      }
      return Region.pixel(x, y);
    }
    List<String> names = List.of("x1", "y1", "x2", "y2");
    long given = names.stream().filter(n -> ctx.request().getParam(n) != null).count();
    if (given == 0) {
      return null;
    }
    if (given != 4) {
      throw new BadRequest("a region needs all of x1, y1, x2 and y2");
    }
    return region((int) queryLong(ctx, "x1", 0, 0, width - 1), (int) queryLong(ctx, "y1", 0, 0, height - 1),
        (int) queryLong(ctx, "x2", 0, 0, width - 1), (int) queryLong(ctx, "y2", 0, 0, height - 1));
  }

  private static int requiredInt(JsonObject json, String name) {
    Object value = json.getValue(name);
    // Only JSON integers: 1.5, "1" and 1e3 are refused rather than coerced.
    if (!(value instanceof Integer) && !(value instanceof Long)) {
      throw new BadRequest(name + " must be a whole number");
    }
    long v = ((Number) value).longValue();
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new BadRequest(name + " is out of range");
    }
    return (int) v;
  }

  private static <T> T required(T value, String message) {
    if (value == null) {
      throw new BadRequest(message);
    }
    return value;
  }

  private static String optionalText(JsonObject json, String name) {
    Object value = json.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s) || s.length() > MAX_REASON_LENGTH) {
      throw new BadRequest(name + " must be a string of at most " + MAX_REASON_LENGTH + " characters");
    }
    return s.isBlank() ? null : s;
  }

  private static Instant optionalInstant(JsonObject json, String name) {
    Object value = json.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw new BadRequest(name + " must be an ISO-8601 time string");
    }
    return instant(name, s);
  }

  static Instant instant(String name, String text) {
    Instant instant;
    try {
      instant = Instant.from(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text));
    } catch (DateTimeParseException e) {
      throw new BadRequest(name + " must be an ISO-8601 time with an offset, e.g. 2025-01-18T19:53:00Z");
    }
    // Times are stored and compared as epoch milliseconds; far beyond these years they overflow.
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw new BadRequest(name + " must be between " + EARLIEST + " and " + LATEST);
    }
    return instant;
  }

  private static int pathInt(RoutingContext ctx, String name) {
    try {
      return Integer.parseInt(ctx.pathParam(name));
    } catch (NumberFormatException e) {
      throw new BadRequest(name + " must be a whole number");
    }
  }

  private static long queryLong(RoutingContext ctx, String name, long fallback, long min, long max) {
    String text = ctx.request().getParam(name);
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(text);
      if (v < min || v > max) {
        throw new BadRequest(name + " must be in " + min + ".." + max);
      }
      return v;
    } catch (NumberFormatException e) {
      throw new BadRequest(name + " must be a whole number");
    }
  }

  private static long queryInstant(RoutingContext ctx, String name, long fallback) {
    String text = ctx.request().getParam(name);
    return text == null || text.isEmpty() ? fallback : instant(name, text).toEpochMilli();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
