package dev.pixels.timelapse;

import dev.pixels.canvas.Region;
import dev.pixels.http.Http;
import dev.pixels.http.RouteContributor;
import dev.pixels.identity.AdminToken;
import dev.pixels.moderation.AdminGate;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The timelapse HTTP API: {@code POST /admin/timelapse} queues a job, {@code GET /timelapse/{id}}
 * reports it, {@code GET /timelapse/{id}/file} serves the finished file. See docs/history.md.
 *
 * <p>Handlers run on event loops: they validate and read job state from memory; the one blocking
 * step, writing a new job's record, runs on Vert.x's worker pool, and files are sent by Vert.x
 * without blocking.
 */
public final class TimelapseRoutes implements RouteContributor {
  /** Largest request body; a timelapse request is a small JSON object. */
  static final int MAX_BODY_BYTES = 4 * 1024;
  /** What a refused job's {@code Retry-After} suggests. */
  static final int RETRY_AFTER_SECONDS = 30;
  private static final Set<String> FIELDS = Set.of("x1", "y1", "x2", "y2", "from", "to", "everyPixels", "everyMillis",
      "fps", "scale", "format");

  private final TimelapseJobs jobs;
  private final AdminGate adminGate;
  private final int width;
  private final int height;

  public TimelapseRoutes(TimelapseJobs jobs, AdminToken admin, int width, int height) {
    this.jobs = jobs;
    this.adminGate = new AdminGate(admin);
    this.width = width;
    this.height = height;
  }

  @Override
  public void register(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES).setMergeFormAttributes(false);
    router.post("/admin/timelapse").handler(adminGate).handler(body).handler(this::create);
    Http.getOrHead(router, "/timelapse/:id").handler(this::status);
    Http.getOrHead(router, "/timelapse/:id/file").handler(this::file);
  }

  private void create(RoutingContext ctx) {
    TimelapseRequest request;
    try {
      request = parse(ctx);
      jobs.requireTools(request);
    } catch (TimelapseRequest.Invalid | TimelapseJobs.MissingTool e) {
      Http.error(ctx, 400, "bad_request", e.getMessage());
      return;
    }
    ctx.vertx().executeBlocking(() -> jobs.submit(request), false).onComplete(done -> {
      if (done.succeeded()) {
        String id = done.result();
        ctx.response().putHeader(HttpHeaders.LOCATION, "/timelapse/" + id);
        Http.json(ctx, 202, new JsonObject().put("id", id).put("status", "/timelapse/" + id).encode());
      } else if (done.cause() instanceof TimelapseJobs.Busy busy) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
        Http.error(ctx, 429, "busy", busy.getMessage());
      } else if (done.cause() instanceof TimelapseJobs.MissingTool missing) {
        Http.error(ctx, 400, "bad_request", missing.getMessage());
      } else {
        Http.error(ctx, 503, "unavailable", "the job could not be queued: " + done.cause().getMessage());
      }
    });
  }

  private void status(RoutingContext ctx) {
    jobs.find(ctx.pathParam("id")).ifPresentOrElse(view -> {
      JsonObject json = new JsonObject().put("id", view.id()).put("status", view.status().name().toLowerCase())
          .put("progress", view.percent()).put("etaSeconds", view.etaSeconds());
      if (view.status() == TimelapseJobs.Status.DONE) {
        json.put("download", "/timelapse/" + view.id() + "/file").put("bytes", view.bytes())
            .put("frames", view.frames()).put("mediaType", view.mediaType());
      }
      if (view.error() != null) {
        json.put("error", view.error());
      }
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
      Http.json(ctx, 200, json.encode());
    }, () -> Http.error(ctx, 404, "not_found", "there is no timelapse job with that id"));
  }

  private void file(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    var view = jobs.find(id).filter(v -> v.status() == TimelapseJobs.Status.DONE);
    var path = jobs.file(id);
    if (view.isEmpty() || path.isEmpty()) {
      Http.error(ctx, 404, "not_found", "there is no finished timelapse with that id");
      return;
    }
    String etag = view.get().etag();
    var response = ctx.response()
        .putHeader(HttpHeaders.ETAG, etag)
        // The URL names one job's output, which never changes once written.
        .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable");
    String match = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
    if (match != null && (match.equals("*") || Set.of(match.split("\\s*,\\s*")).contains(etag))) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, view.get().mediaType())
        .putHeader("Content-Disposition", "inline; filename=\"timelapse-" + id + "." + extension(view.get()) + "\"");
    if (ctx.request().method() == io.vertx.core.http.HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(view.get().bytes())).end();
      return;
    }
    response.sendFile(path.get().toString()).onFailure(e -> Http.error(ctx, 404, "not_found", "the file is gone"));
  }

  private static String extension(TimelapseJobs.View view) {
    String name = view.fileName();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  private TimelapseRequest parse(RoutingContext ctx) {
    JsonObject json;
    try {
      json = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new TimelapseRequest.Invalid("the body is not a JSON object");
    }
    if (json == null) {
      throw new TimelapseRequest.Invalid("the request needs a JSON object body");
    }
    for (String name : json.fieldNames()) {
      if (!FIELDS.contains(name)) {
        throw new TimelapseRequest.Invalid("unknown field '" + name.substring(0, Math.min(40, name.length()))
            + "'; the fields are " + String.join(", ", FIELDS.stream().sorted().toList()));
      }
    }
    Region region = region(json);
    long from = instant(json, "from");
    long to = instant(json, "to");
    boolean pixels = json.containsKey("everyPixels");
    if (pixels == json.containsKey("everyMillis")) {
      throw new TimelapseRequest.Invalid("give exactly one of everyPixels and everyMillis");
    }
    TimelapseRequest.Interval interval = pixels
        ? new TimelapseRequest.Interval.Pixels(whole(json, "everyPixels", 0, 1, TimelapseRequest.MAX_PIXELS_PER_FRAME))
        : new TimelapseRequest.Interval.Millis(whole(json, "everyMillis", 0, 1, TimelapseRequest.MAX_MILLIS_PER_FRAME));
    int fps = (int) whole(json, "fps", 30, TimelapseRequest.MIN_FPS, TimelapseRequest.MAX_FPS);
    int scale = (int) whole(json, "scale", 1, TimelapseRequest.MIN_SCALE, TimelapseRequest.MAX_SCALE);
    Object formatName = json.getValue("format", "gif");
    TimelapseRequest.Format format = formatName instanceof String s ? TimelapseRequest.Format.named(s) : null;
    if (format == null) {
      throw new TimelapseRequest.Invalid("format must be gif, mp4 or webm");
    }
    return new TimelapseRequest(region, from, to, interval, fps, scale, format);
  }

  private Region region(JsonObject json) {
    long given = Set.of("x1", "y1", "x2", "y2").stream().filter(json::containsKey).count();
    if (given == 0) {
      return new Region(0, 0, width - 1, height - 1);
    }
    if (given != 4) {
      throw new TimelapseRequest.Invalid("a region needs all of x1, y1, x2 and y2 (or none, for the whole canvas)");
    }
    int x1 = (int) whole(json, "x1", 0, 0, width - 1);
    int y1 = (int) whole(json, "y1", 0, 0, height - 1);
    int x2 = (int) whole(json, "x2", 0, 0, width - 1);
    int y2 = (int) whole(json, "y2", 0, 0, height - 1);
    if (x1 > x2 || y1 > y2) {
      throw new TimelapseRequest.Invalid("a region needs x1 <= x2 and y1 <= y2");
    }
    return new Region(x1, y1, x2, y2);
  }

  /** A JSON whole number in {@code min..max}, or {@code fallback} if absent. */
  private static long whole(JsonObject json, String name, long fallback, long min, long max) {
    Object value = json.getValue(name);
    if (value == null) {
      if (json.containsKey(name) || fallback < min) {
        throw new TimelapseRequest.Invalid(name + " is required: a whole number in " + min + ".." + max);
      }
      return fallback;
    }
    if (!(value instanceof Integer) && !(value instanceof Long)) {
      throw new TimelapseRequest.Invalid(name + " must be a whole number in " + min + ".." + max);
    }
    long v = ((Number) value).longValue();
    if (v < min || v > max) {
      throw new TimelapseRequest.Invalid(name + " must be in " + min + ".." + max);
    }
    return v;
  }

  private static long instant(JsonObject json, String name) {
    Object value = json.getValue(name);
    if (!(value instanceof String text)) {
      throw new TimelapseRequest.Invalid(name + " is required: an ISO-8601 time with an offset, e.g. 2025-01-18T19:53:00Z");
    }
    try {
      Instant instant = Instant.from(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text));
      if (instant.toEpochMilli() < TimelapseRequest.EARLIEST_MILLIS || instant.toEpochMilli() > TimelapseRequest.LATEST_MILLIS) {
        throw new TimelapseRequest.Invalid(name + " must lie between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z");
      }
      return instant.toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new TimelapseRequest.Invalid(name + " must be an ISO-8601 time with an offset, e.g. 2025-01-18T19:53:00Z");
    }
  }
}
