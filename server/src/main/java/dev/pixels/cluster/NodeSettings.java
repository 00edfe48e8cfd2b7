package dev.pixels.cluster;

import dev.pixels.canvas.Palette;
import java.time.Duration;

/**
 * The settings a cluster node shares with a single-instance server: the canvas's size and palette,
 * how often pixels are batched, how many may wait to be sequenced, and how often the canvas is
 * snapshotted to the store.
 */
public record NodeSettings(Palette palette, int canvasWidth, int canvasHeight, Duration batchInterval,
    int pendingPixelLimit, Duration canvasCheckpointInterval) {}
