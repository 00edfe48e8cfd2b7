package dev.pixels;

import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.CommittedCanvas;
import dev.pixels.ops.ReadinessCheck;
import dev.pixels.ratelimit.Limit;
import dev.pixels.realtime.BatchListener;
import dev.pixels.realtime.Broadcaster;
import dev.pixels.realtime.BulkUpdateCodec;
import dev.pixels.realtime.PixelIntake;
import dev.pixels.storage.PixelStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * Where pixels go and where the canvas is read: on one instance a {@link LocalPipeline}, the
 * batcher over the embedded or in-memory store; with several a {@link ClusterPipeline}, Redis and
 * DynamoDB. {@link #open} picks one, once; every choice that differs between the two is a method
 * here, so the composition root never asks which one it has.
 */
sealed interface Pipeline permits LocalPipeline, ClusterPipeline {

  /** The pipeline that {@code config} asks for, its canvas loaded and not yet started. */
  static Pipeline open(Config config, PixelStore store, InstantSource clock, MeterRegistry redisMeters) {
    Broadcasters broadcasters = (seq, hash) -> new Broadcaster(new BulkUpdateCodec(config.palette()),
        config.resumeBufferPixels(), config.sendQueueTotalBytes(), seq, hash, System::nanoTime);
    return config.scaleOut().redis().enabled()
        ? ClusterPipeline.connect(config, store, redisMeters, broadcasters)
        : LocalPipeline.recover(config, store, clock, broadcasters);
  }

  /** Makes the broadcaster that starts at the loaded canvas's seq and hash. */
  @FunctionalInterface
  interface Broadcasters {
    Broadcaster startingAt(long seq, String hash);
  }

  /** Delivers this instance's committed batches to its WebSocket clients. */
  Broadcaster broadcaster();

  /** Where validated pixels go. */
  PixelIntake intake();

  /** The durable canvas that {@code GET /canvas}, moderation and the seq read. */
  CommittedCanvas canvas();

  /** Server-made edits (moderation repairs) through the same path as painted pixels. */
  CanvasEditor editor();

  /** The per-user limit this instance enforces itself, given the configured one. */
  Limit perUserLimit(Limit configured);

  /**
   * Shares state kept in the store (moderation) with the other instances: the returned signal is
   * called after this instance changed it, and {@code onRemoteChange} runs when another one did.
   */
  Runnable shareState(String topic, Runnable onRemoteChange);

  /** Reports stored, failed and refused pixels to {@code listener}. */
  void listener(BatchListener listener);

  /** The parts of {@code GET /ready} that this pipeline answers for. */
  List<ReadinessCheck> readiness();

  /** Why this instance serves in a degraded way ({@code GET /health}), or null if it does not. */
  String degradedReason();

  /** Pixels taken and not answered yet. */
  int pendingPixels();

  /** Starts taking pixels and publishing committed batches. */
  void start();

  /** Saves a checkpoint of the canvas if it changed since the last one, where this pipeline takes them. */
  void checkpoint();

  /**
   * Stops taking pixels and settles those already taken within {@code timeout}, logging what it
   * had to leave unsettled.
   */
  void stop(Duration timeout);
}
