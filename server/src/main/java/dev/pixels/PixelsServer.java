package dev.pixels;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.CommittedCanvas;
import dev.pixels.cluster.ClusterNode;
import dev.pixels.identity.AnonymousIdentities;
import dev.pixels.realtime.Broadcaster;
import dev.pixels.realtime.BulkUpdateCodec;
import dev.pixels.realtime.FanOut;
import dev.pixels.realtime.PaintPolicy;
import dev.pixels.realtime.PixelBatcher;
import dev.pixels.realtime.PixelIntake;
import dev.pixels.realtime.SocketHandler;
import dev.pixels.storage.CanvasRecovery;
import dev.pixels.storage.Checkpoint;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.PixelStores;
import dev.pixels.web.CanvasImages;
import dev.pixels.web.HttpApi;
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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Pixels server: the composition root that wires every component by hand.
 *
 * <p>{@link #start(Config)} builds the store, recovers the canvas, starts the batcher and the
 * background threads, and listens; {@link #close()} undoes it in reverse, committing whatever is
 * queued first. Tests start it in-process on port 0; {@link Main} starts it from the environment.
 */
public final class PixelsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PixelsServer.class);

  private final Config config;
  private final Vertx vertx;
  private final PixelStore store;
  private final PixelBatcher batcher;
  private final Pipeline pipeline;
  private final SocketHandler sockets;
  private final ScheduledExecutorService background;
  private final ExecutorService encoder;
  private final int port;
  private volatile boolean storeHealthy = true;

  private PixelsServer(Config config, Vertx vertx, PixelStore store, Pipeline pipeline, SocketHandler sockets,
      ScheduledExecutorService background, ExecutorService encoder, int port) {
    this.config = config;
    this.vertx = vertx;
    this.store = store;
    this.pipeline = pipeline;
    this.batcher = pipeline.batcher();
    this.sockets = sockets;
    this.background = background;
    this.encoder = encoder;
    this.port = port;
  }

  /** Starts a server as configured and returns once it is listening. */
  public static PixelsServer start(Config config) {
    PixelStore store = switch (config.storage()) {
      case EMBEDDED -> PixelStores.sqlite(config.dataDir());
      case MEMORY -> PixelStores.memory();
      case DYNAMODB -> PixelStores.dynamodb(config.scaleOut().dynamoDb());
    };
    Broadcaster broadcaster;
    Pipeline pipeline;
    if (config.scaleOut().redis().enabled()) {
      ClusterNode cluster = ClusterNode.connect(config, store);
      broadcaster = new Broadcaster(new BulkUpdateCodec(config.palette()), config.resumeBufferPixels(), cluster.seq(),
          cluster.hash());
      pipeline = new Pipeline(cluster.intake(), cluster.canvas(), null, cluster);
    } else {
      Canvas canvas = CanvasRecovery.recover(store, config.canvasWidth(), config.canvasHeight());
      log.info("canvas {}x{} recovered at seq {} from the {} store",
          canvas.width(), canvas.height(), canvas.seq(), store.name());
      broadcaster = new Broadcaster(new BulkUpdateCodec(config.palette()),
          config.resumeBufferPixels(), canvas.seq(), canvas.sha256Hex());
      PixelBatcher local = new PixelBatcher(canvas, store, FanOut.local(broadcaster), config.palette(),
          config.batchInterval(), config.pendingPixelLimit());
      pipeline = new Pipeline(local, local, local, null);
    }
    SocketHandler sockets = new SocketHandler(config.palette(), config.canvasWidth(), config.canvasHeight(),
        pipeline.intake(), broadcaster, new AnonymousIdentities(), PaintPolicy.allowAll(), config.maxFrameBytes(),
        config.batchInterval());

    ScheduledExecutorService background = Executors.newScheduledThreadPool(1, named("pixels-background"));
    ExecutorService encoder = Executors.newSingleThreadExecutor(named("pixels-encoder"));
    CanvasImages images = new CanvasImages(pipeline.canvas(), config.palette(), config.snapshotMaxAge(), encoder,
        System::nanoTime);

    int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
    PixelsServer[] self = new PixelsServer[1];
    HttpApi api = new HttpApi(version(), config.canvasWidth(), config.canvasHeight(), config.palette(), pipeline.canvas(),
        broadcaster, images, sockets, store.name(), () -> self[0] == null || self[0].storeHealthy,
        request -> request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress(),
        List.of());
    if (pipeline.cluster() != null) {
      api.degradedWhen(pipeline.cluster()::degradedReason);
    }

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        // A negative port asks Vert.x for one random port shared by every instance; plain 0 would
        // give each instance a port of its own.
        .setPort(config.port() == 0 ? -1 : config.port())
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // The transport limit is generous so an oversized frame can get a polite error instead of
        // a closed connection; the protocol limit (WS_MAX_FRAME_BYTES) is enforced per message.
        .setMaxWebSocketFrameSize(65_536)
        .setMaxWebSocketMessageSize(65_536);

    pipeline.start(broadcaster);
    int port;
    try {
      AtomicInteger boundPort = new AtomicInteger(config.port());
      // Vert.x shares one listening socket between instances bound to the same host and port
      // (port 0 included) and spreads connections over their event loops.
      String first = vertx.deployVerticle(() -> new HttpVerticle(api, options, boundPort),
          new DeploymentOptions().setInstances(loops)).await(30, TimeUnit.SECONDS);
      port = boundPort.get();
      log.debug("http deployment {}", first);
    } catch (Exception e) {
      vertx.close();
      pipeline.stop(Duration.ofSeconds(5));
      store.close();
      throw new IllegalStateException("could not listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
    }

    PixelsServer server = new PixelsServer(config, vertx, store, pipeline, sockets, background, encoder, port);
    self[0] = server;
    server.startBackgroundWork();
    server.writePortFile();
    log.info("Pixels listening on http://{}:{} ({} event loops, {} store)", config.host(), port, loops, store.name());
    return server;
  }

  private void startBackgroundWork() {
    long checkpointMs = config.canvasCheckpointInterval().toMillis();
    if (batcher != null) { // several instances: the cluster's snapshotter checkpoints under a lease
      background.scheduleWithFixedDelay(this::checkpointIfChanged, checkpointMs, checkpointMs, TimeUnit.MILLISECONDS);
    }
    background.scheduleWithFixedDelay(this::probeStore, 2, 2, TimeUnit.SECONDS);
    long sweepMs = Math.max(100, config.pingInterval().toMillis() / 2);
    vertx.setPeriodic(sweepMs, id -> sockets.sweep(config.pingInterval(), config.idleTimeout()));
  }

  private long lastCheckpointSeq = -1; // background thread only

  private void checkpointIfChanged() {
    if (batcher == null) {
      return;
    }
    try {
      if (batcher.seq() != lastCheckpointSeq) {
        var snapshot = batcher.snapshot();
        store.saveCheckpoint(new Checkpoint(snapshot.seq(), snapshot.width(), snapshot.height(), snapshot.pixels()));
        lastCheckpointSeq = snapshot.seq();
        log.debug("checkpoint saved at seq {}", snapshot.seq());
      }
    } catch (RuntimeException e) {
      log.warn("could not save a checkpoint; will retry at the next interval", e);
    }
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

  /** The durable canvas seq. */
  public long seq() {
    return pipeline.canvas().seq();
  }

  /**
   * Stops gracefully: no new pixels, the queued batch is committed and acknowledged, clients are
   * closed with 1001, and a final checkpoint is saved.
   */
  @Override
  public void close() {
    try {
      pipeline.stop(Duration.ofSeconds(10));
      Thread.sleep(100); // let the event loops flush the final acks and broadcast
      sockets.closeAll("server shutting down");
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    background.shutdownNow();
    encoder.shutdownNow();
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("event loops did not stop cleanly", e);
    }
    checkpointIfChanged();
    store.close();
    log.info("Pixels stopped at seq {}", seq());
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

  /**
   * Where pixels go and where the canvas is read: the local batcher on one instance, or the
   * cluster node (Redis + store) when several instances share one canvas. Exactly one of {@code
   * batcher} and {@code cluster} is set.
   */
  private record Pipeline(PixelIntake intake, CommittedCanvas canvas, PixelBatcher batcher, ClusterNode cluster) {
    void start(Broadcaster broadcaster) {
      if (batcher != null) {
        batcher.start();
      } else {
        cluster.start(broadcaster);
      }
    }

    void stop(Duration timeout) {
      if (batcher != null) {
        try {
          batcher.stop(timeout);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      } else {
        cluster.close();
      }
    }
  }

  /** One HTTP server instance; Vert.x spreads connections over the instances' event loops. */
  private static final class HttpVerticle extends VerticleBase {
    private final HttpApi api;
    private final HttpServerOptions options;
    private final AtomicInteger boundPort;

    HttpVerticle(HttpApi api, HttpServerOptions options, AtomicInteger boundPort) {
      this.api = api;
      this.options = options;
      this.boundPort = boundPort;
    }

    @Override
    public Future<?> start() {
      HttpServer server = vertx.createHttpServer(options);
      return server.requestHandler(api.router(vertx)).listen().onSuccess(s -> boundPort.set(s.actualPort()));
    }
  }
}
