package dev.pixels;

import dev.pixels.abuse.BotSignals;
import dev.pixels.abuse.PowGate;
import dev.pixels.abuse.PowRoutes;
import dev.pixels.abuse.ProofOfWork;
import dev.pixels.abuse.SignalRecorder;
import dev.pixels.abuse.SuspectRoutes;
import dev.pixels.canvas.CanvasEditor;
import dev.pixels.signin.LoginGate;
import dev.pixels.signin.SignInRoutes;
import dev.pixels.http.RouteContributor;
import dev.pixels.history.History;
import dev.pixels.identity.AdminToken;
import dev.pixels.identity.ClientAddresses;
import dev.pixels.identity.Pseudonyms;
import dev.pixels.identity.SecretFiles;
import dev.pixels.identity.SessionRoutes;
import dev.pixels.identity.SessionTokens;
import dev.pixels.identity.TokenIdentities;
import dev.pixels.moderation.Moderation;
import dev.pixels.moderation.ModerationRoutes;
import dev.pixels.moderation.ModerationStores;
import dev.pixels.moderation.SafetyPolicy;
import dev.pixels.ratelimit.ConnectionLimit;
import dev.pixels.ratelimit.Limit;
import dev.pixels.ratelimit.RateLimiter;
import dev.pixels.ratelimit.RateLimiters;
import dev.pixels.ratelimit.Refusals;
import dev.pixels.ratelimit.RestLimits;
import dev.pixels.pixelinfo.IndexRebuild;
import dev.pixels.pixelinfo.OverlayImages;
import dev.pixels.pixelinfo.PixelIndex;
import dev.pixels.pixelinfo.PixelInfoRoutes;
import dev.pixels.ops.ConnectionLog;
import dev.pixels.ops.MetricsEndpoint;
import dev.pixels.ops.OpenApiEndpoint;
import dev.pixels.ops.PixelsMetrics;
import dev.pixels.ops.ReadinessCheck;
import dev.pixels.ops.ReadinessEndpoint;
import dev.pixels.ops.RequestInstrumentation;
import dev.pixels.realtime.Broadcaster;
import dev.pixels.realtime.BulkUpdateCodec;
import dev.pixels.realtime.PaintPolicy;
import dev.pixels.realtime.SocketHandler;
import dev.pixels.realtime.SocketLimits;
import dev.pixels.storage.PixelStore;
import dev.pixels.timelapse.Ffmpeg;
import dev.pixels.timelapse.TimelapseJobs;
import dev.pixels.timelapse.TimelapseRoutes;
import dev.pixels.storage.PixelStores;
import dev.pixels.web.CanvasImages;
import dev.pixels.web.ConnectionGuard;
import dev.pixels.web.FramingPolicy;
import dev.pixels.web.HttpApi;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Pixels server: the composition root that wires every component by hand.
 *
 * <p>{@link #start(Config)} builds the store, opens the {@link Pipeline} (local or cluster, chosen
 * once by {@link Pipeline#open}), starts it and the background threads, and listens; {@link
 * #close()} undoes it in reverse, settling whatever is queued first. Tests start it in-process on
 * port 0; {@link Main} starts it from the environment.
 */
public final class PixelsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PixelsServer.class);
  /** How long the heatmap and virgin map are cached, by the server and by clients. */
  private static final Duration OVERLAY_MAX_AGE = Duration.ofSeconds(5);

  private final Config config;
  private final Vertx vertx;
  private final PixelStore store;
  private final Pipeline pipeline;
  private final SocketHandler sockets;
  private final ScheduledExecutorService background;
  private final ExecutorService encoder;
  private final PixelsMetrics metrics;
  private final HttpApi api;
  private final int port;
  private final Moderation moderation;
  private final IndexRebuild indexRebuild;
  private final History history;
  private final TimelapseJobs timelapse;
  private volatile boolean storeHealthy = true;
  private volatile boolean stopping;

  private PixelsServer(Config config, Vertx vertx, PixelStore store, Pipeline pipeline, SocketHandler sockets,
      ScheduledExecutorService background, ExecutorService encoder, PixelsMetrics metrics, HttpApi api, int port,
      Moderation moderation, IndexRebuild indexRebuild, History history,
      TimelapseJobs timelapse) {
    this.moderation = moderation;
    this.indexRebuild = indexRebuild;
    this.history = history;
    this.timelapse = timelapse;
    this.config = config;
    this.vertx = vertx;
    this.store = store;
    this.pipeline = pipeline;
    this.sockets = sockets;
    this.background = background;
    this.encoder = encoder;
    this.metrics = metrics;
    this.api = api;
    this.port = port;
  }

  /**
   * Starts a server as configured and returns once it is listening.
   *
   * @throws dev.pixels.storage.StoreException if the store refuses to open or the canvas cannot be
   *     recovered (the message says why and what to do); a store already open is closed again, so
   *     its data directory is free for the next attempt
   */
  public static PixelsServer start(Config config) {
    return start(config, InstantSource.system());
  }

  /**
   * Starts a server as configured that reads the time of day from {@code clock}: pixel timestamps,
   * session expiry, lock and ban expiry, and the times moderators give. Tests pass a clock they move.
   *
   * @throws dev.pixels.storage.StoreException as {@link #start(Config)}
   */
  public static PixelsServer start(Config config, InstantSource clock) {
    ListenAddress.requireFree(config.host(), config.port());
    PixelStore store = switch (config.storage()) {
      case EMBEDDED -> PixelStores.sqlite(config.dataDir());
      case MEMORY -> PixelStores.memory();
      case DYNAMODB -> PixelStores.dynamodb(config.scaleOut().dynamoDb());
    };
    try {
      return start(config, store, clock);
    } catch (RuntimeException e) {
      try {
        store.close();
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  private static PixelsServer start(Config config, PixelStore store, InstantSource clock) {
    // Redis meters are made before the metrics registry exists; it joins this composite later.
    CompositeMeterRegistry redisMeters = redisMeters();
    Pipeline pipeline = Pipeline.open(config, store, clock, redisMeters);
    Broadcaster broadcaster = pipeline.broadcaster();
    // Safety: who a client is, what it may paint, and how much.
    Config.Safety safety = config.safety();
    ClientAddresses clientAddresses = new ClientAddresses(safety.trustedProxies());
    String sessionSecret = sessionSecret(config);
    SessionTokens sessionTokens = new SessionTokens(sessionSecret, safety.sessionTtl(), clock);
    AdminToken adminToken = new AdminToken(adminToken(config));
    Moderation moderation = new Moderation(switch (config.storage()) {
      case EMBEDDED -> ModerationStores.sqlite(config.dataDir());
      case MEMORY -> ModerationStores.memory();
      case DYNAMODB -> ModerationStores.dynamodb(config.scaleOut().dynamoDb());
    }, store, pipeline.canvas(), pipeline.editor(), config.canvasWidth(), config.canvasHeight(), broadcaster::broadcastText,
        clock);
    moderation.onChange(pipeline.shareState("moderation", moderation::reload));
    moderation.start();
    TimelapseJobs timelapse = new TimelapseJobs(store, config.canvasWidth(), config.canvasHeight(), config.palette(),
        config.timelapse(), config.storage() == Config.StorageKind.MEMORY ? null : config.dataDir().resolve("timelapse"),
        Ffmpeg.onPath(config.timelapse().ffmpeg(), System.getenv("PATH")), System::nanoTime, clock);
    PixelsMetrics metrics = new PixelsMetrics(store.name(), broadcaster::clientCount, pipeline::pendingPixels,
        pipeline.canvas()::seq);
    Limit perUser = pipeline.perUserLimit(new Limit(safety.userPerSecond(), safety.userBurst(), safety.userPerMinute()));
    List<RateLimiter> limiters = List.of(
        RateLimiters.inMemory(perUser, System::nanoTime, part -> metrics.rateLimited(
            part == Refusals.Part.WINDOW ? PixelsMetrics.Limiter.MINUTE_WINDOW : PixelsMetrics.Limiter.USER_BUCKET)),
        RateLimiters.inMemory(Limit.bucket(safety.ipPerSecond(), safety.ipBurst()), System::nanoTime,
            part -> metrics.rateLimited(PixelsMetrics.Limiter.IP)),
        RateLimiters.inMemory(Limit.perWindow(safety.restCanvasPerMinute(), safety.restCanvasWindow()), System::nanoTime,
            part -> metrics.rateLimited(PixelsMetrics.Limiter.REST)),
        RateLimiters.inMemory(Limit.perMinute(safety.restAuditPerMinute()), System::nanoTime,
            part -> metrics.rateLimited(PixelsMetrics.Limiter.REST)),
        // The lookup window is minutes long and tests move it, so it reads the time of day.
        RateLimiters.inMemory(Limit.perWindow(config.pixelInfo().lookups(), config.pixelInfo().lookupWindow()),
            () -> clock.millis() * 1_000_000L, part -> metrics.rateLimited(PixelsMetrics.Limiter.REST)),
        RateLimiters.inMemory(Limit.perMinute(config.history().restHistoryPerMinute()), System::nanoTime,
            part -> metrics.rateLimited(PixelsMetrics.Limiter.REST)),
        RateLimiters.inMemory(Limit.perMinute(config.history().restExportPerMinute()), System::nanoTime,
            part -> metrics.rateLimited(PixelsMetrics.Limiter.REST)));
    ProofOfWork pow = new ProofOfWork(config.pow(), sessionSecret, clock);
    PaintPolicy safetyPolicy = new SafetyPolicy(moderation, limiters.get(0), limiters.get(1), clock);
    BotSignals signals = new BotSignals(clock);
    PaintPolicy gated = config.pow().enabled() ? new PowGate(pow, safetyPolicy) : safetyPolicy;
    PaintPolicy policy = new SignalRecorder(signals,
        config.signIn().requireLoginToPaint() ? new LoginGate(gated) : gated);
    SignInRoutes signIn = new SignInRoutes(config.signIn(), sessionTokens, clock);
    SocketHandler sockets = new SocketHandler(config.palette(), config.canvasWidth(), config.canvasHeight(),
        pipeline.intake(), broadcaster, new TokenIdentities(sessionTokens, adminToken), policy, config.maxFrameBytes(),
        config.sendQueueBytes(), config.batchInterval(), new SocketLimits(new ConnectionLimit(safety.maxConnectionsPerIp()),
            safety.wsMessagesPerSecond(), safety.wsMaxViolations(),
            new SocketLimits.PaintLimits(safety.userPerSecond(), safety.userBurst(), safety.userPerMinute())));

    pipeline.listener(metrics);
    redisMeters.add(metrics.registry());
    broadcaster.listener(metrics);
    broadcaster.onSlowClientClosed(metrics::slowClientClosed);
    sockets.listener(metrics.andThen(config.logIps() ? ConnectionLog.withIps() : ConnectionLog.withoutIps()));

    ScheduledExecutorService background = Executors.newScheduledThreadPool(1, named("pixels-background"));
    ExecutorService encoder = Executors.newSingleThreadExecutor(named("pixels-encoder"));
    CanvasImages images = new CanvasImages(pipeline.canvas(), config.palette(), config.snapshotMaxAge(), encoder,
        System::nanoTime);
    // The live feed starts after the seq the pipeline loaded; the rebuild reads the log up to it.
    PixelIndex pixelIndex = new PixelIndex(config.canvasWidth(), config.canvasHeight(), pipeline.canvas().seq());
    broadcaster.onPublished(pixelIndex::accept);
    IndexRebuild indexRebuild = new IndexRebuild(pixelIndex, store);
    OverlayImages overlays = new OverlayImages(pixelIndex, clock, encoder, System::nanoTime, OVERLAY_MAX_AGE);

    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops)
        .setPreferNativeTransport(config.http().nativeTransport()));
    if (config.http().nativeTransport() && !vertx.isNativeTransportEnabled()) {
      log.info("the native transport is not available here, so sockets use Java NIO: {}",
          String.valueOf(vertx.unavailableNativeTransportCause()));
    }
    PixelsServer[] self = new PixelsServer[1];
    // Checks for GET /ready: only the parts this instance has, so a single node reports no Redis.
    List<ReadinessCheck> readiness = new ArrayList<>(List.of(
        ReadinessCheck.of("shutdown", () -> self[0] != null && self[0].stopping ? "the server is shutting down" : null),
        ReadinessCheck.of("store", () -> self[0] == null || self[0].storeHealthy ? null
            : "the " + store.name() + " store is not answering")));
    readiness.addAll(pipeline.readiness());
    ConnectionGuard connections = new ConnectionGuard(new ConnectionLimit(config.http().maxConnectionsPerIp()),
        safety.trustedProxies(), config.http().headerTimeout(), metrics);
    Pseudonyms pseudonyms = new Pseudonyms(sessionSecret);
    List<RouteContributor> featureRoutes = new ArrayList<>();
    if (config.pow().enabled()) {
      featureRoutes.add(new PowRoutes(pow, sessionTokens));
    }
    if (config.signIn().enabled()) {
      featureRoutes.add(signIn);
    }
    featureRoutes.add(new SuspectRoutes(signals, config.pow().enabled() ? pow : null, adminToken, clientAddresses::of));
    History history = new History(config.history(), store, pipeline.canvas(), pseudonyms,
        adminToken, limiters.get(5), limiters.get(6), clientAddresses::of, clock);
    featureRoutes.addAll(history.routes());
    HttpApi api = new HttpApi(version(), config.canvasWidth(), config.canvasHeight(), config.palette(), pipeline.canvas(),
        broadcaster, images, sockets, store.name(), () -> self[0] == null || self[0].storeHealthy,
        clientAddresses::of,
        Stream.concat(Stream.of(connections, new RequestInstrumentation(metrics), new MetricsEndpoint(metrics, config.metricsToken()),
            new ReadinessEndpoint(readiness), new OpenApiEndpoint(),
            new RestLimits(limiters.get(2), limiters.get(3), limiters.get(4), adminToken, clientAddresses::of),
            new PixelInfoRoutes(pixelIndex, overlays, pseudonyms, adminToken,
                config.pixelInfo().showUser()),
            new SessionRoutes(sessionTokens), new FramingPolicy(config.http().frameAncestors()),
            new ModerationRoutes(moderation, adminToken, config.palette(), config.canvasWidth(),
                config.canvasHeight(), images, clock)), Stream.concat(featureRoutes.stream(),
            Stream.of(new TimelapseRoutes(timelapse, adminToken, config.canvasWidth(), config.canvasHeight())))).toList());
    api.degradedWhen(pipeline::degradedReason);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        // A negative port asks Vert.x for one random port shared by every instance; plain 0 would
        // give each instance a port of its own.
        .setPort(config.port() == 0 ? -1 : config.port())
        .setTcpNoDelay(true)
        // Closes connections with nothing read or written; a WebSocket's pings keep it busy well within.
        .setIdleTimeout((int) config.http().idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // HTTP/1.1 only: every connection then gets the per-connection guards (TLS and HTTP/2 belong
        // to the load balancer).
        .setHttp2ClearTextEnabled(false)
        .setCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        .setWebSocketSubProtocols(List.of(BulkUpdateCodec.BINARY_SUBPROTOCOL))
        // The transport limit is generous so an oversized frame can get a polite error instead of
        // a closed connection; the protocol limit (WS_MAX_FRAME_BYTES) is enforced per message.
        .setMaxWebSocketFrameSize(65_536)
        .setMaxWebSocketMessageSize(65_536);

    pipeline.start();
    indexRebuild.start();
    int port;
    try {
      AtomicInteger boundPort = new AtomicInteger(config.port());
      // Vert.x shares one listening socket between instances bound to the same host and port
      // (port 0 included) and spreads connections over their event loops.
      String first = vertx.deployVerticle(() -> new HttpVerticle(api, connections, options, boundPort),
          new DeploymentOptions().setInstances(loops)).await(30, TimeUnit.SECONDS);
      port = boundPort.get();
      log.debug("http deployment {}", first);
    } catch (Exception e) {
      vertx.close();
      indexRebuild.stop(Duration.ofSeconds(5));
      history.close();
      pipeline.stop(Duration.ofSeconds(5));
      moderation.close(Duration.ofSeconds(5));
      timelapse.close();
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof java.net.BindException)) {
        cause = cause.getCause();
      }
      throw ListenAddress.failure(config.host(), config.port(), cause);
    }

    PixelsServer server = new PixelsServer(config, vertx, store, pipeline, sockets, background, encoder, metrics, api,
        port, moderation, indexRebuild, history, timelapse);
    self[0] = server;
    server.startBackgroundWork();
    // Limiter state of idle keys is dropped so memory follows the clients active in the last minute.
    server.background.scheduleWithFixedDelay(() -> limiters.forEach(RateLimiters::evictIdle), 10, 10, TimeUnit.SECONDS);
    server.background.scheduleWithFixedDelay(pow::evictExpired, 10, 10, TimeUnit.SECONDS);
    server.background.scheduleWithFixedDelay(signals::evictIdle, 10, 10, TimeUnit.SECONDS);
    server.background.scheduleWithFixedDelay(signIn::evictExpired, 10, 10, TimeUnit.SECONDS);
    server.writePortFile();
    log.info("Pixels listening on {}:{} ({} event loops on {}, {} store); open {}", config.host(), port, loops,
        vertx.isNativeTransportEnabled() ? "epoll" : "NIO", store.name(), ListenAddress.pageUrl(config.host(), port));
    return server;
  }

  private void startBackgroundWork() {
    long checkpointMs = config.canvasCheckpointInterval().toMillis();
    background.scheduleWithFixedDelay(pipeline::checkpoint, checkpointMs, checkpointMs, TimeUnit.MILLISECONDS);
    background.scheduleWithFixedDelay(this::probeStore, 2, 2, TimeUnit.SECONDS);
    long sweepMs = Math.max(100, config.pingInterval().toMillis() / 2);
    vertx.setPeriodic(sweepMs, id -> sockets.sweep(config.pingInterval(), config.idleTimeout()));
  }

  private void probeStore() {
    boolean healthy = store.isHealthy();
    if (healthy != storeHealthy) {
      log.warn("store {} is now {}", store.name(), healthy ? "healthy" : "UNHEALTHY");
    }
    storeHealthy = healthy;
  }

  private void writePortFile() {
    if (config.portFile() == null) {
      return;
    }
    try {
      var tmp = config.portFile().resolveSibling(config.portFile().getFileName() + ".tmp");
      Files.writeString(tmp, Integer.toString(port));
      Files.move(tmp, config.portFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write PORT_FILE " + config.portFile(), e);
    }
  }

  /** The port the server listens on (the real one when configured with 0). */
  public int port() {
    return port;
  }

  /** Applies server-made edits through the normal pipeline (moderation repairs, tests). */
  public CanvasEditor canvasEditor() {
    return pipeline.editor();
  }

  /** The durable canvas seq. */
  public long seq() {
    return pipeline.canvas().seq();
  }

  /** The HTTP API, whose {@link HttpApi#router} lists every route (for the API description test). */
  public HttpApi api() {
    return api;
  }

  /** Delivers committed batches to this instance's WebSocket clients. */
  public Broadcaster broadcaster() {
    return pipeline.broadcaster();
  }

  /** The metrics registry and hooks. */
  public PixelsMetrics metrics() {
    return metrics;
  }

  /**
   * Stops gracefully within {@code SHUTDOWN_TIMEOUT_MS}, in this order:
   *
   * <ol>
   *   <li>refuse new connections (503), new pixels ({@code unavailable}) and readiness;
   *   <li>settle what the pipeline took (commit it, or with several instances have it stored or
   *       reject it), and queue its acks and broadcast on each client's event loop;
   *   <li>close every client with 1001 and a reason: queued on the same loops after those acks,
   *       so each client receives its acks before the close frame; then wait for them to go;
   *   <li>stop the event loops; save a checkpoint where the pipeline takes them; stop moderation,
   *       abandoning a repair or a moderation store call still running at the deadline; close the
   *       store.
   * </ol>
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    // Left for the steps after the clients are gone: event loops, checkpoint, moderation, store.
    long reserve = Math.min(2_000, config.shutdownTimeout().toMillis() / 4);
    stopping = true;
    sockets.stopAccepting();
    Broadcaster broadcaster = pipeline.broadcaster();
    log.info("shutting down: refusing new connections and pixels; {} clients connected", broadcaster.clientCount());
    pipeline.stop(Duration.ofMillis(Math.max(1, remainingMillis(deadline) - reserve)));
    sockets.closeAll("server shutting down; reconnect");
    try {
      while (broadcaster.clientCount() > 0 && remainingMillis(deadline) > reserve) {
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    background.shutdownNow();
    encoder.shutdownNow();
    indexRebuild.stop(Duration.ofMillis(Math.max(1, Math.min(1_000, remainingMillis(deadline)))));
    history.close();
    try {
      vertx.close().await(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("event loops did not stop cleanly", e);
    }
    timelapse.close();
    pipeline.checkpoint();
    moderation.close(Duration.ofMillis(Math.max(0, remainingMillis(deadline))));
    store.close();
    metrics.close();
    log.info("Pixels stopped at seq {}", seq());
  }

  /**
   * The configured session secret, or one generated once into DATA_DIR/session-secret (0600). With
   * {@code STORAGE=memory}, which writes nothing to disk, a generated secret lives as long as the
   * process, like the canvas.
   */
  private static String sessionSecret(Config config) {
    if (config.safety().sessionSecret() != null) {
      return config.safety().sessionSecret();
    }
    if (config.storage() == Config.StorageKind.MEMORY) {
      return SecretFiles.randomToken(32);
    }
    return SecretFiles.loadOrCreate(config.dataDir().resolve("session-secret"));
  }

  /**
   * The configured admin token, or one generated once into DATA_DIR/admin-token (0600). With
   * {@code STORAGE=memory} nothing is written, so an unset token leaves the admin endpoints closed:
   * the token is random and never shown.
   */
  private static String adminToken(Config config) {
    if (config.safety().adminToken() != null) {
      return config.safety().adminToken();
    }
    if (config.storage() == Config.StorageKind.MEMORY) {
      log.info("ADMIN_TOKEN is not set and STORAGE=memory writes nothing to disk: the admin endpoints are closed; "
          + "set ADMIN_TOKEN to use them");
      return SecretFiles.randomToken(32);
    }
    var file = config.dataDir().resolve("admin-token");
    String token = SecretFiles.loadOrCreate(file);
    log.info("ADMIN_TOKEN is not set; the admin token is in {}", file.toAbsolutePath().normalize());
    return token;
  }

  private static long remainingMillis(long deadlineNanos) {
    return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
  }

  /**
   * A registry for the Redis client's meters: Lettuce's command completion time becomes
   * {@code pixels.redis.command} by command type, without the per-connection address tags.
   */
  private static CompositeMeterRegistry redisMeters() {
    CompositeMeterRegistry meters = new CompositeMeterRegistry();
    meters.config()
        .meterFilter(MeterFilter.denyNameStartsWith("lettuce.command.firstresponse"))
        .meterFilter(MeterFilter.ignoreTags("local", "remote"))
        .meterFilter(new MeterFilter() {
          @Override
          public Meter.Id map(Meter.Id id) {
            return id.getName().equals("lettuce.command.completion") ? id.withName("pixels.redis.command") : id;
          }
        });
    return meters;
  }

  static String version() {
    String v = PixelsServer.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static java.util.concurrent.ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** One HTTP server instance; Vert.x spreads connections over the instances' event loops. */
  private static final class HttpVerticle extends VerticleBase {
    private final HttpApi api;
    private final ConnectionGuard connections;
    private final HttpServerOptions options;
    private final AtomicInteger boundPort;

    HttpVerticle(HttpApi api, ConnectionGuard connections, HttpServerOptions options, AtomicInteger boundPort) {
      this.api = api;
      this.connections = connections;
      this.options = options;
      this.boundPort = boundPort;
    }

    @Override
    public Future<?> start() {
      HttpServer server = vertx.createHttpServer(options);
      connections.watch(vertx, server);
      return server.requestHandler(api.router(vertx)).listen().onSuccess(s -> boundPort.set(s.actualPort()));
    }
  }
}
