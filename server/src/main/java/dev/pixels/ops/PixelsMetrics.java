package dev.pixels.ops;

import dev.pixels.realtime.BatchListener;
import dev.pixels.realtime.Broadcaster;
import dev.pixels.realtime.PixelRequest;
import dev.pixels.realtime.RejectReason;
import dev.pixels.realtime.Session;
import dev.pixels.realtime.SocketHandler;
import dev.pixels.web.ConnectionGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.IntSupplier;

/**
 * Pixels' Prometheus metrics: every {@code pixels_*} meter, plus the standard JVM families.
 *
 * <p>It plugs into the hooks the hot components already have ({@link BatchListener},
 * {@link SocketHandler.Listener}, {@link Broadcaster.Listener}, the slow-client callback), so that a
 * component built without metrics keeps its do-nothing listener.
 *
 * <p>Cost. Every meter touched per pixel is created here, up front, one per label value (an {@link
 * EnumMap} per reason), so a pixel only increments an adder or records into a fixed histogram and
 * allocates nothing; {@code MetricsAllocationTest} measures this. Meters touched per HTTP request or
 * per disconnect are looked up by tags, which is fine at those rates.
 *
 * <p>Concurrency: Micrometer meters are thread-safe; callbacks arrive on the batcher thread and on
 * event loops at the same time.
 */
public final class PixelsMetrics
    implements BatchListener, SocketHandler.Listener, Broadcaster.Listener, ConnectionGuard.Listener,
    AutoCloseable {

  /** The closes of WebSocket connections, by why they ended; a fixed set keeps label cardinality low. */
  enum CloseKind {
    NORMAL, GOING_AWAY, TOO_SLOW, IDLE, GAP, NO_CLOSE_FRAME, OTHER;

    final String label = name().toLowerCase(Locale.ROOT);

    static CloseKind of(Short code) {
      if (code == null) {
        return NO_CLOSE_FRAME;
      }
      return switch (code) {
        case 1000 -> NORMAL;
        case 1001 -> GOING_AWAY;
        case 1006 -> NO_CLOSE_FRAME;
        case 1011 -> GAP;
        case Session.CLOSE_TOO_SLOW -> TOO_SLOW;
        case Session.CLOSE_IDLE -> IDLE;
        default -> OTHER;
      };
    }
  }

  /** The rate limiters whose refusals are counted apart; for the rate-limit feature to report to. */
  public enum Limiter {
    USER_BUCKET, MINUTE_WINDOW, IP, REST;

    final String label = name().toLowerCase(Locale.ROOT);
  }

  private final PrometheusMeterRegistry registry;
  private final EnumMap<Limiter, Counter> rateLimited = new EnumMap<>(Limiter.class);
  private final JvmGcMetrics gc;
  private final Counter accepted;
  private final EnumMap<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
  private final Counter connects;
  private final EnumMap<CloseKind, Counter> disconnects = new EnumMap<>(CloseKind.class);
  private final Counter slowClientCloses;
  private final DistributionSummary batchSize;
  private final Timer commitTime;
  private final Counter storeErrors;
  private final Timer ackDelay;
  private final Timer encodeTime;
  private final Timer sendTime;
  private final String storeName;
  private final Counter connectionsOverCap;
  private final Counter connectionsHeadTimedOut;

  /**
   * @param storeName the store's short name, a label of the store meters
   * @param connections the number of connected WebSocket clients
   * @param pendingPixels the pixels accepted and not yet answered: waiting for the next batch, or
   *     with several instances, for Redis or the store
   * @param seq the durable canvas seq
   */
  public PixelsMetrics(String storeName, IntSupplier connections, IntSupplier pendingPixels,
      LongSupplier seq) {
    this.storeName = storeName;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    this.gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);

    Gauge.builder("pixels.ws.connections", () -> connections.getAsInt())
        .description("WebSocket clients connected now").register(registry);
    Gauge.builder("pixels.pending.pixels", () -> pendingPixels.getAsInt())
        .description("Accepted pixels not yet stored and answered").register(registry);
    Gauge.builder("pixels.canvas.seq", seq::getAsLong)
        .description("The seq of the last durable pixel").register(registry);

    connects = Counter.builder("pixels.ws.connects").description("WebSocket connections opened").register(registry);
    for (CloseKind kind : CloseKind.values()) {
      disconnects.put(kind, Counter.builder("pixels.ws.disconnects").tag("reason", kind.label)
          .description("WebSocket connections closed, by why they ended").register(registry));
    }
    connectionsOverCap = Counter.builder("pixels.http.connections.closed").tag("reason", "over_cap")
        .description("HTTP connections the server closed, by why").register(registry);
    connectionsHeadTimedOut = Counter.builder("pixels.http.connections.closed").tag("reason", "head_timeout")
        .description("HTTP connections the server closed, by why").register(registry);
    slowClientCloses = Counter.builder("pixels.ws.slow.client.closes")
        .description("Clients closed with 4000 because they fell too far behind").register(registry);

    accepted = Counter.builder("pixels.accepted").description("Pixels committed and acknowledged")
        .register(registry);
    for (RejectReason reason : RejectReason.values()) {
      rejected.put(reason, Counter.builder("pixels.rejected").tag("reason", reason.wireName())
          .description("Pixels refused, by reject reason").register(registry));
    }
    for (Limiter limiter : Limiter.values()) {
      rateLimited.put(limiter, Counter.builder("pixels.rate.limited").tag("limiter", limiter.label)
          .description("Requests refused by a rate limiter, by limiter").register(registry));
    }
    batchSize = DistributionSummary.builder("pixels.batch.size").baseUnit("pixels")
        .description("Pixels per committed batch")
        .serviceLevelObjectives(1, 10, 100, 1_000, 10_000).register(registry);
    commitTime = Timer.builder("pixels.store.commit").tag("store", storeName)
        .description("Time to apply, durably store and publish one batch")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    storeErrors = Counter.builder("pixels.store.errors").tag("store", storeName)
        .description("Batches the store failed to commit").register(registry);
    ackDelay = Timer.builder("pixels.ack.delay")
        .description("From a pixel's arrival to its acknowledgement being sent (durability latency)")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    encodeTime = Timer.builder("pixels.broadcast.encode")
        .description("Time to encode one batch for every client, once")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(1)).register(registry);
    sendTime = Timer.builder("pixels.broadcast.send")
        .description("Time for one event loop to hand one batch frame to all of its clients")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(1)).register(registry);
  }

  /** The registry, for features that add meters of their own (rate limits, Redis). */
  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  String storeName() {
    return storeName;
  }

  // --- the pipeline's threads (batcher, or cluster intake, log writer and replica) ---

  @Override
  public void stored(int pixels, long commitNanos) {
    batchSize.record(pixels);
    commitTime.record(commitNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void acknowledged(List<PixelRequest> requests) {
    int n = requests.size();
    accepted.increment(n);
    long now = System.nanoTime();
    for (int i = 0; i < n; i++) {
      recordAckDelay(now - requests.get(i).receivedNanos());
    }
  }

  /** One pixel's accept-to-ack delay; per pixel, so allocation-free. */
  void recordAckDelay(long nanos) {
    ackDelay.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void failed(int pixels, RuntimeException cause) {
    storeErrors.increment();
    rejected.get(RejectReason.UNAVAILABLE).increment(pixels);
  }

  @Override
  public void rejected(int pixels, RejectReason reason) {
    rejected.get(reason).increment(pixels);
  }

  @Override
  public void encoded(int pixels, long nanos) {
    encodeTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  // --- event loops ---

  @Override
  public void delivered(int clients, long nanos) {
    sendTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void connected(Session session) {
    connects.increment();
  }

  @Override
  public void disconnected(Session session, Short closeCode, String closeReason) {
    disconnects.get(CloseKind.of(closeCode)).increment();
  }

  @Override
  public void rejected(RejectReason reason) {
    rejected.get(reason).increment();
  }

  @Override
  public void upgradeRefused(int status) {
    registry.counter("pixels.ws.upgrades.refused", "status", Integer.toString(status)).increment();
  }

  /** A rate limiter refused a pixel or request; per pixel, so allocation-free. */
  public void rateLimited(Limiter limiter) {
    rateLimited.get(limiter).increment();
  }

  /** A slow client was closed (the broadcaster's callback). */
  public void slowClientClosed(Session session) {
    slowClientCloses.increment();
  }

  /** Records one answered REST request. */
  void httpRequest(String route, String method, int status, long nanos) {
    registry.timer("pixels.http.requests", "route", route, "method", method, "status", Integer.toString(status))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void refusedOverCap() {
    connectionsOverCap.increment();
  }

  @Override
  public void headTimedOut() {
    connectionsHeadTimedOut.increment();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
