package dev.pixels.history;

import dev.pixels.canvas.CommittedCanvas;
import dev.pixels.http.RouteContributor;
import dev.pixels.identity.AdminToken;
import dev.pixels.identity.Pseudonyms;
import dev.pixels.ratelimit.RateLimiter;
import dev.pixels.storage.PixelStore;
import io.vertx.core.http.HttpServerRequest;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The canvas's past, served over HTTP: the history scrubber's points ({@code /history}) and the
 * placement export ({@code /export/placements.csv.gz}). Both read the log through the {@link
 * PixelStore}, so they work alike on one node and in a cluster. See docs/history.md.
 *
 * <p>Threads: {@code pixels-history} reads the index of points and renders points, one at a time;
 * {@code pixels-export-*}, as many as exports may run at once, stream exports. {@link #close}
 * stops both, cutting off exports still streaming.
 */
public final class History implements AutoCloseable {
  /** How long an index read from the log is reused before the next request reads what is new. */
  private static final long INDEX_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Points kept in the index at most; beyond, old points are thinned (see HistoryPoints). */
  static final int MAX_POINTS = 4096;

  private final ExecutorService reader;
  private final ExecutorService exporters;
  private final List<RouteContributor> routes;

  /**
   * Wires the history routes.
   *
   * @param historyLimiter the per-address budget of the scrubber's requests
   * @param exportLimiter the per-address budget of exports when they are public
   */
  public History(HistorySettings settings, PixelStore store, CommittedCanvas canvas, Pseudonyms pseudonyms,
      AdminToken admin, RateLimiter historyLimiter, RateLimiter exportLimiter,
      Function<HttpServerRequest, String> clientAddress, InstantSource clock) {
    this.reader = Executors.newSingleThreadExecutor(named("pixels-history"));
    this.exporters = Executors.newFixedThreadPool(settings.maxConcurrentExports(), named("pixels-export"));
    HistoryPoints points = new HistoryPoints(store, settings.pointInterval().toMillis(), MAX_POINTS, reader,
        System::nanoTime, INDEX_REFRESH_NANOS);
    PointCanvases canvases = new PointCanvases(store, canvas, settings.cachedPoints(), reader, System::nanoTime);
    this.routes = List.of(
        new ScrubberRoutes(points, canvases, new RestBudget(historyLimiter, admin, clientAddress)),
        new PlacementExport(store, points, pseudonyms, admin, settings.exportPublic(),
            new RestBudget(exportLimiter, admin, clientAddress), settings.maxConcurrentExports(),
            settings.exportStallTimeout().toNanos(), clock, exporters));
  }

  /** The routes to add to the HTTP API. */
  public List<RouteContributor> routes() {
    return routes;
  }

  /** Stops reading the history and cuts off exports still streaming. */
  @Override
  public void close() {
    exporters.shutdownNow();
    reader.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
