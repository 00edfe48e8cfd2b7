package dev.pixels.canvas;

/** An immutable copy of the canvas bitmap as it stood at {@code seq}. Never mutate {@code pixels}. */
public record CanvasSnapshot(long seq, int width, int height, byte[] pixels) {}
