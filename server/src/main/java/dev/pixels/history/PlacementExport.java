package dev.pixels.history;

import dev.pixels.canvas.PixelChange;
import dev.pixels.http.Http;
import dev.pixels.http.RouteContributor;
import dev.pixels.identity.AdminToken;
import dev.pixels.identity.Pseudonyms;
import dev.pixels.storage.PixelStore;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /export/placements.csv.gz}: the placements of a time range as gzip CSV, {@code
 * seq,time,x,y,color,user,kind}, with the user as a {@link Pseudonyms pseudonym}.
 *
 * <p>The rows are the contiguous run of the log from the first change stamped at or after {@code
 * from} to the last one before the first change stamped after {@code to}, capped at the log's end
 * when the request came. Moderation edits are rows like any other, with their kind ({@code
 * rollback}, {@code rewind}), so painting the rows of a range starting at the canvas's first
 * placement onto a blank canvas gives the canvas exactly.
 *
 * <p>Admin-only unless {@code EXPORT_PUBLIC}; the token is checked before anything else is read.
 * At most {@code maxConcurrent} exports stream at once; more are answered 503 at once.
 *
 * <p>Concurrency and memory: each export runs on its own thread of {@code exporters} (as many as
 * {@code maxConcurrent}), reading the log a page at a time through {@link PixelStore#logAfter},
 * which holds nothing between pages. It hands gzip output to the connection's event loop in chunks
 * and waits while more than {@link #IN_FLIGHT_BYTES} are written but not yet taken by the socket:
 * a slow reader slows the read of the log instead of growing a queue, and one that reads nothing
 * for {@code stallTimeout} is cut off. A client that goes away stops its export at the next chunk.
 * The memory of one export is thus bounded by a page, the gzip buffers and {@link #IN_FLIGHT_BYTES},
 * whatever the range.
 */
final class PlacementExport implements RouteContributor {
  private static final Logger log = LoggerFactory.getLogger(PlacementExport.class);
  static final String PATH = "/export/placements.csv.gz";
  static final String HEADER = "seq,time,x,y,color,user,kind\n";
  /** Compressed bytes of one export handed to the event loop and not yet written to the socket. */
  static final int IN_FLIGHT_BYTES = 256 * 1024;
  private static final int CHUNK_BYTES = 32 * 1024;
  private static final int PAGE = 1_000;

  private final PixelStore store;
  private final HistoryPoints points;
  private final Pseudonyms pseudonyms;
  private final AdminToken admin;
  private final boolean open;
  private final RestBudget budget;
  private final Semaphore slots;
  private final int maxConcurrent;
  private final long stallNanos;
  private final InstantSource clock;
  private final ExecutorService exporters;

  PlacementExport(PixelStore store, HistoryPoints points, Pseudonyms pseudonyms, AdminToken admin, boolean open,
      RestBudget budget, int maxConcurrent, long stallNanos, InstantSource clock, ExecutorService exporters) {
    this.store = store;
    this.points = points;
    this.pseudonyms = pseudonyms;
    this.admin = admin;
    this.open = open;
    this.budget = budget;
    this.slots = new Semaphore(maxConcurrent);
    this.maxConcurrent = maxConcurrent;
    this.stallNanos = stallNanos;
    this.clock = clock;
    this.exporters = exporters;
  }

  @Override
  public void register(Router router) {
    Http.getOrHead(router, PATH).handler(this::export);
  }

  private void export(RoutingContext ctx) {
    if (!open) {
      AdminToken.Check check = admin.checkHeader(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
      if (check == AdminToken.Check.MISSING) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        Http.error(ctx, 401, "unauthorized", "the export needs Authorization: Bearer <admin token>");
        return;
      }
      if (check == AdminToken.Check.WRONG) {
        Http.error(ctx, 403, "forbidden", "the bearer token is not the admin token");
        return;
      }
    } else if (!budget.take(ctx)) {
      return;
    }
    Long from;
    Long to;
    try {
      from = instant(ctx.queryParams().get("from"));
      to = instant(ctx.queryParams().get("to"));
    } catch (IllegalArgumentException e) {
      Http.error(ctx, 400, "bad_request", "from and to must be ISO-8601 instants (2026-01-31T12:00:00Z) or epoch"
          + " milliseconds");
      return;
    }
    if (!slots.tryAcquire()) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "10");
      Http.error(ctx, 503, "busy", maxConcurrent + " exports are already streaming; try again later");
      return;
    }
    Context context = ctx.vertx().getOrCreateContext();
    points.caughtUp().whenComplete((index, failure) -> context.runOnContext(v -> {
      if (failure != null) {
        slots.release();
        ctx.fail(500, failure);
        return;
      }
      start(ctx, context, index, from, to);
    }));
  }

  private void start(RoutingContext ctx, Context context, HistoryPoints.Index index, Long from, Long to) {
    long now = clock.millis();
    long first = index.firstMillis() < 0 ? now : Math.min(index.firstMillis(), now);
    long fromMillis = from == null ? first : from;
    long toMillis = to == null ? now : to;
    if (fromMillis > toMillis || fromMillis < first || toMillis > now) {
      slots.release();
      JsonObject body = new JsonObject().put("error", "bad_request")
          .put("message", "the range must lie within the canvas's lifetime, from before to; valid: "
              + Instant.ofEpochMilli(first) + " to " + Instant.ofEpochMilli(now))
          .put("validRange", new JsonObject().put("from", Instant.ofEpochMilli(first).toString())
              .put("to", Instant.ofEpochMilli(now).toString()));
      Http.json(ctx, 400, body.encode());
      return;
    }
    HttpServerResponse response = ctx.response();
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/gzip")
        .putHeader("Content-Disposition", "attachment; filename=\"placements-" + fromMillis + "-" + toMillis
            + ".csv.gz\"")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    if (ctx.request().method() == HttpMethod.HEAD) {
      slots.release();
      response.end();
      return;
    }
    response.setChunked(true);
    HistoryPoints.Point before = index.atOrBefore(fromMillis - 1);
    Job job = new Job(context, response, before == null ? 0 : before.seq(), index.lastSeq(), fromMillis, toMillis);
    response.closeHandler(v -> job.stream.gone());
    response.exceptionHandler(e -> job.stream.gone());
    try {
      exporters.execute(job);
    } catch (RejectedExecutionException e) {
      slots.release();
      response.reset();
    }
  }

  /** An ISO-8601 instant or epoch milliseconds, or null if absent. */
  static Long instant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim();
    if (t.length() > 40) {
      throw new IllegalArgumentException("too long");
    }
    try {
      if (t.chars().allMatch(ch -> ch >= '0' && ch <= '9' || ch == '-')) {
        return Long.parseLong(t);
      }
      return Instant.parse(t).toEpochMilli();
    } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException("not an instant", e);
    }
  }

  /** One export, run on an exporter thread. */
  private final class Job implements Runnable {
    private final Context context;
    private final HttpServerResponse response;
    private final long afterSeq;
    private final long lastSeq;
    private final long fromMillis;
    private final long toMillis;
    final ResponseStream stream;

    Job(Context context, HttpServerResponse response, long afterSeq, long lastSeq, long fromMillis, long toMillis) {
      this.context = context;
      this.response = response;
      this.afterSeq = afterSeq;
      this.lastSeq = lastSeq;
      this.fromMillis = fromMillis;
      this.toMillis = toMillis;
      this.stream = new ResponseStream(context, response, stallNanos);
    }

    @Override
    public void run() {
      try (Writer out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(stream, CHUNK_BYTES),
          StandardCharsets.UTF_8), CHUNK_BYTES)) {
        out.write(HEADER);
        writeRows(out);
        out.flush();
      } catch (IOException | RuntimeException | Error e) {
        // Reset rather than end: a cut-off file must not look complete to its client.
        context.runOnContext(v -> response.reset());
        if (e instanceof Error error) {
          throw error;
        }
        if (!stream.isGone()) {
          log.warn("an export stopped part-way: {}", e.toString());
        }
        return;
      } finally {
        slots.release();
      }
      context.runOnContext(v -> response.end());
    }

    private void writeRows(Writer out) throws IOException {
      long cursor = afterSeq;
      boolean started = false;
      StringBuilder row = new StringBuilder(96);
      while (cursor < lastSeq) {
        List<PixelChange> page = store.logAfter(cursor, (int) Math.min(PAGE, lastSeq - cursor));
        if (page.isEmpty()) {
          return;
        }
        for (PixelChange c : page) {
          long ts = c.timestampMillis();
          if (c.seq() > lastSeq || ts > toMillis) {
            return;
          }
          cursor = c.seq();
          if (!started && ts < fromMillis) {
            continue;
          }
          started = true;
          row.setLength(0);
          row.append(c.seq()).append(',').append(Instant.ofEpochMilli(ts)).append(',').append(c.x()).append(',')
              .append(c.y()).append(',').append(c.color()).append(',')
              .append(c.userId() == null ? "" : pseudonyms.of(c.userId())).append(',').append(c.tool().wireName())
              .append('\n');
          out.append(row);
        }
      }
    }
  }

  /**
   * The bytes of one export on their way to its response: chunks go to the event loop, and writing
   * waits while {@link #IN_FLIGHT_BYTES} are not yet taken by the socket.
   */
  static final class ResponseStream extends OutputStream {
    private final Context context;
    private final HttpServerResponse response;
    private final long stallNanos;
    private final Semaphore credits = new Semaphore(IN_FLIGHT_BYTES);
    private final byte[] buffer = new byte[CHUNK_BYTES];
    private int filled;
    private boolean failed;
    private volatile boolean gone;

    ResponseStream(Context context, HttpServerResponse response, long stallNanos) {
      this.context = context;
      this.response = response;
      this.stallNanos = stallNanos;
    }

    /** The client went away: stop waiting and stop writing. */
    void gone() {
      gone = true;
      credits.release(IN_FLIGHT_BYTES);
    }

    boolean isGone() {
      return gone;
    }

    @Override
    public void write(int b) throws IOException {
      if (filled == buffer.length) {
        send();
      }
      buffer[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        if (filled == buffer.length) {
          send();
        }
        int n = Math.min(len, buffer.length - filled);
        System.arraycopy(b, off, buffer, filled, n);
        filled += n;
        off += n;
        len -= n;
      }
    }

    @Override
    public void flush() throws IOException {
      if (filled > 0) {
        send();
      }
    }

    /** Sends what is left, unless the export already failed (then the response is reset). */
    @Override
    public void close() throws IOException {
      if (!failed) {
        flush();
      }
    }

    private void send() throws IOException {
      if (failed) {
        throw new IOException("the export already failed");
      }
      failed = true;
      int n = filled;
      try {
        if (!credits.tryAcquire(n, stallNanos, TimeUnit.NANOSECONDS)) {
          throw new IOException("the client read nothing for " + TimeUnit.NANOSECONDS.toMillis(stallNanos) + " ms");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("the server is shutting down", e);
      }
      if (gone) {
        throw new IOException("the client went away");
      }
      Buffer chunk = Buffer.buffer(n).appendBytes(buffer, 0, n);
      filled = 0;
      failed = false;
      context.runOnContext(v -> response.write(chunk).onComplete(ar -> credits.release(n)));
    }
  }
}
