package dev.pixels.ops;

import dev.pixels.http.RouteContributor;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * Runs before every route: gives each request an id and times it by the route that answered.
 *
 * <p>The id is the caller's {@code X-Request-Id} when it is short and plain (so a proxy's id can be
 * followed through), otherwise a new one; it is echoed in the response and put in the logging
 * context ({@code requestId}) while the handlers run, so every line they log carries it.
 */
public final class RequestInstrumentation implements RouteContributor {
  static final String HEADER = "X-Request-Id";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Set<HttpMethod> STANDARD_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
      HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.CONNECT);

  private final PixelsMetrics metrics;
  private final String prefix;
  private final AtomicLong counter = new AtomicLong();

  public RequestInstrumentation(PixelsMetrics metrics) {
    this.metrics = metrics;
    // Distinguishes the ids of two runs of the server, which both count from 1.
    this.prefix = "r" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36) + "-";
  }

  @Override
  public void register(Router router) {
    router.route().order(Integer.MIN_VALUE).handler(this::handle);
  }

  /**
   * The method as a metric label: one of the standard methods, or {@code OTHER}. A client may send
   * any token as its method, and each distinct label value would be a series kept forever.
   */
  static String methodLabel(HttpMethod method) {
    return STANDARD_METHODS.contains(method) ? method.name() : "OTHER";
  }

  private void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && SAFE_ID.matcher(given).matches() ? given : prefix + counter.incrementAndGet();
    ctx.put("requestId", id);
    ctx.response().putHeader(HEADER, id);
    ctx.addEndHandler(done -> {
      String route = RouteTemplates.of(ctx.currentRoute());
      metrics.httpRequest(route == null ? "unmatched" : route, methodLabel(ctx.request().method()),
          ctx.response().getStatusCode(), System.nanoTime() - started);
    });
    MDC.put("requestId", id);
    try {
      ctx.next();
    } finally {
      MDC.remove("requestId");
    }
  }
}
