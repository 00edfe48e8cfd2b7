package dev.pixels.history;

import dev.pixels.http.Http;
import dev.pixels.http.RouteContributor;
import dev.pixels.web.CanvasImages;
import dev.pixels.web.HttpApi;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The routes of the history scrubber: {@code GET /history}, the index of history points, and
 * {@code GET /history/canvas/{seq}}, the canvas at one of them in the {@code GET /canvas} format.
 *
 * <p>A point's URL names its seq, so its body never changes: it is served with a strong ETag and
 * {@code Cache-Control: public, max-age=31536000, immutable}, for browsers and CDNs to keep. Only
 * seqs the index lists are served (404 otherwise), so the renders a client can ask for are bounded
 * by the index. The index itself changes as the canvas is painted and is cacheable for {@link
 * #INDEX_MAX_AGE_SECONDS}. Handlers run on event loops and never block: the index and renders
 * come back as futures from the history thread.
 */
final class ScrubberRoutes implements RouteContributor {
  static final int INDEX_MAX_AGE_SECONDS = 5;
  static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final HistoryPoints points;
  private final PointCanvases canvases;
  private final RestBudget budget;

  ScrubberRoutes(HistoryPoints points, PointCanvases canvases, RestBudget budget) {
    this.points = points;
    this.canvases = canvases;
    this.budget = budget;
  }

  @Override
  public void register(Router router) {
    Http.getOrHead(router, "/history").handler(this::index);
    Http.getOrHead(router, "/history/canvas/:seq").handler(this::point);
  }

  private void index(RoutingContext ctx) {
    if (!budget.take(ctx)) {
      return;
    }
    whenDone(ctx, points.current(), index -> {
      JsonArray list = new JsonArray();
      for (HistoryPoints.Point p : index.points()) {
        list.add(new JsonObject().put("seq", p.seq()).put("time", Instant.ofEpochMilli(p.timeMillis()).toString())
            .put("url", "/history/canvas/" + p.seq()));
      }
      JsonObject body = new JsonObject()
          .put("intervalSeconds", points.intervalMillis() / 1000.0)
          .put("from", index.firstMillis() < 0 ? null : Instant.ofEpochMilli(index.firstMillis()).toString())
          .put("points", list)
          .put("live", new JsonObject().put("seq", index.lastSeq()).put("url", "/canvas"));
      ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=" + INDEX_MAX_AGE_SECONDS);
      Http.json(ctx, 200, body.encode());
    });
  }

  private void point(RoutingContext ctx) {
    long seq;
    try {
      seq = Long.parseLong(ctx.pathParam("seq"));
    } catch (NumberFormatException e) {
      Http.error(ctx, 400, "bad_request", "the seq must be a whole number");
      return;
    }
    if (!budget.take(ctx)) {
      return;
    }
    whenDone(ctx, points.current(), index -> {
      if (!index.has(seq)) {
        Http.error(ctx, 404, "not_found", "seq " + seq + " is not a history point; GET /history lists them");
        return;
      }
      whenDone(ctx, canvases.at(seq), r -> HttpApi.sendBitmap(ctx, r, IMMUTABLE));
    });
  }

  private static <T> void whenDone(RoutingContext ctx, CompletableFuture<T> future, Consumer<T> then) {
    if (future.isDone() && !future.isCompletedExceptionally()) {
      then.accept(future.join());
      return;
    }
    future.whenComplete((value, failure) -> ctx.vertx().runOnContext(v -> {
      if (failure != null) {
        ctx.fail(500, failure);
      } else {
        then.accept(value);
      }
    }));
  }
}
