package dev.pixels;

import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.CommittedCanvas;
import dev.pixels.cluster.ClusterNode;
import dev.pixels.cluster.ClusterSettings;
import dev.pixels.cluster.NodeSettings;
import dev.pixels.ops.ReadinessCheck;
import dev.pixels.ratelimit.Limit;
import dev.pixels.realtime.BatchListener;
import dev.pixels.realtime.Broadcaster;
import dev.pixels.realtime.PixelIntake;
import dev.pixels.storage.PixelStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of one instance among several: the {@link ClusterNode} sequences pixels through
 * Redis, stores the shared stream in DynamoDB while it holds the writer lease, and feeds this
 * instance's broadcaster with what is stored.
 *
 * <p>Concurrency: none of its own; the node's parts each run on their named threads.
 */
final class ClusterPipeline implements Pipeline {
  private static final Logger log = LoggerFactory.getLogger(ClusterPipeline.class);
  private final ClusterNode node;
  private final Broadcaster broadcaster;

  private ClusterPipeline(ClusterNode node, Broadcaster broadcaster) {
    this.node = node;
    this.broadcaster = broadcaster;
  }

  /** Connects to Redis and loads the shared canvas (or the stored one while Redis is away). */
  static ClusterPipeline connect(Config config, PixelStore store, MeterRegistry redisMeters,
      Broadcasters broadcasters) {
    Config.ScaleOut scale = config.scaleOut();
    ClusterNode node = ClusterNode.connect(
        new ClusterSettings(scale.redis(), scale.durabilityTimeout(), scale.rateLimit()),
        new NodeSettings(config.palette(), config.canvasWidth(), config.canvasHeight(), config.batchInterval(),
            config.pendingPixelLimit(), config.canvasCheckpointInterval()),
        store, redisMeters);
    return new ClusterPipeline(node, broadcasters.startingAt(node.seq(), node.hash()));
  }

  @Override
  public Broadcaster broadcaster() {
    return broadcaster;
  }

  @Override
  public PixelIntake intake() {
    return node.intake();
  }

  @Override
  public CommittedCanvas canvas() {
    return node.canvas();
  }

  @Override
  public CanvasEditor editor() {
    return node.editor();
  }

  /**
   * None: the accept script in Redis holds each user to the configured limit across all instances,
   * and counting it here too would spend two permits per pixel. The per-IP bucket stays per
   * instance (docs/deploy.md).
   */
  @Override
  public Limit perUserLimit(Limit configured) {
    return new Limit(0, 0, 0);
  }

  @Override
  public Runnable shareState(String topic, Runnable onRemoteChange) {
    return node.shareState(topic, onRemoteChange);
  }

  @Override
  public void listener(BatchListener listener) {
    node.listener(listener);
  }

  @Override
  public List<ReadinessCheck> readiness() {
    return List.of(
        ReadinessCheck.of("canvas", () -> node.degradedReason() == null ? null : "the pixel pipeline is not running"),
        ReadinessCheck.of("redis", node::degradedReason));
  }

  @Override
  public String degradedReason() {
    return node.degradedReason();
  }

  @Override
  public int pendingPixels() {
    return node.pendingPixels();
  }

  @Override
  public void start() {
    node.start(broadcaster);
  }

  /** Nothing here: the node's snapshotter checkpoints on whichever instance holds the lease. */
  @Override
  public void checkpoint() {}

  @Override
  public void stop(Duration timeout) {
    if (!node.stop(timeout)) {
      log.warn("the pixel store or redis did not answer within {} ms; the pixels still unconfirmed were rejected "
          + "and may not persist", timeout.toMillis());
    }
  }
}
