package dev.pixels;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.CanvasSnapshot;
import dev.pixels.canvas.CommittedCanvas;
import dev.pixels.ops.ReadinessCheck;
import dev.pixels.ratelimit.Limit;
import dev.pixels.realtime.BatchListener;
import dev.pixels.realtime.Broadcaster;
import dev.pixels.realtime.FanOut;
import dev.pixels.realtime.PixelBatcher;
import dev.pixels.realtime.PixelIntake;
import dev.pixels.storage.CanvasRecovery;
import dev.pixels.storage.Checkpoint;
import dev.pixels.storage.PixelStore;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of a single instance: the {@link PixelBatcher} commits pixels to the embedded or
 * in-memory store, publishes them to this instance's broadcaster, and this class checkpoints its
 * canvas.
 *
 * <p>Concurrency: {@link #checkpoint} runs on the background thread and once more at shutdown,
 * possibly while a last background run has not finished; it is synchronized, and only it touches
 * {@code lastCheckpointSeq}. Everything else delegates to the batcher, which has its own rules.
 */
final class LocalPipeline implements Pipeline {
  private static final Logger log = LoggerFactory.getLogger(LocalPipeline.class);

  private final PixelBatcher batcher;
  private final PixelStore store;
  private final Broadcaster broadcaster;
  private long lastCheckpointSeq = -1; // guarded by this

  private LocalPipeline(PixelBatcher batcher, PixelStore store, Broadcaster broadcaster) {
    this.batcher = batcher;
    this.store = store;
    this.broadcaster = broadcaster;
  }

  /** Recovers the canvas from {@code store} (checkpoint plus log) and wires a batcher to it. */
  static LocalPipeline recover(Config config, PixelStore store, InstantSource clock, Broadcasters broadcasters) {
    Canvas canvas = CanvasRecovery.recover(store, config.canvasWidth(), config.canvasHeight());
    CanvasRecovery.requirePalette(canvas, config.palette().size());
    log.info("canvas {}x{} recovered at seq {} from the {} store",
        canvas.width(), canvas.height(), canvas.seq(), store.name());
    Broadcaster broadcaster = broadcasters.startingAt(canvas.seq(), canvas.sha256Hex());
    PixelBatcher batcher = new PixelBatcher(canvas, store, FanOut.local(broadcaster), config.batchInterval(),
        config.pendingPixelLimit(), clock);
    return new LocalPipeline(batcher, store, broadcaster);
  }

  @Override
  public Broadcaster broadcaster() {
    return broadcaster;
  }

  @Override
  public PixelIntake intake() {
    return batcher;
  }

  @Override
  public CommittedCanvas canvas() {
    return batcher;
  }

  @Override
  public CanvasEditor editor() {
    return batcher;
  }

  @Override
  public Limit perUserLimit(Limit configured) {
    return configured;
  }

  /** Nothing to share: no other instance reads this store. */
  @Override
  public Runnable shareState(String topic, Runnable onRemoteChange) {
    return () -> {};
  }

  @Override
  public void listener(BatchListener listener) {
    batcher.listener(listener);
  }

  @Override
  public List<ReadinessCheck> readiness() {
    return List.of(ReadinessCheck.of("canvas", () -> batcher.isRunning() ? null : "the pixel pipeline is not running"));
  }

  @Override
  public String degradedReason() {
    return null;
  }

  @Override
  public int pendingPixels() {
    return batcher.pendingPixels();
  }

  @Override
  public void start() {
    batcher.start();
  }

  @Override
  public synchronized void checkpoint() {
    try {
      if (batcher.seq() != lastCheckpointSeq) {
        CanvasSnapshot snapshot = batcher.snapshot();
        store.saveCheckpoint(new Checkpoint(snapshot.seq(), snapshot.width(), snapshot.height(), snapshot.pixels()));
        lastCheckpointSeq = snapshot.seq();
        log.debug("checkpoint saved at seq {}", snapshot.seq());
      }
    } catch (RuntimeException e) {
      // At the next interval, or at the next start, which replays the log from the last checkpoint saved.
      log.warn("could not save a checkpoint; the log still holds every pixel after the last one saved", e);
    }
  }

  @Override
  public void stop(Duration timeout) {
    boolean finished;
    try {
      finished = batcher.stop(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      finished = false;
    }
    if (!finished) {
      log.warn("the last batch did not commit within {} ms; its pixels stay unacknowledged", timeout.toMillis());
    }
  }
}
