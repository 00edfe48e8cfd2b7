package dev.pixels.storage;

/**
 * A full copy of the canvas as it stood at {@code seq}, so that start-up replays only the log after
 * it.
 */
public record Checkpoint(long seq, int width, int height, byte[] pixels) {}
