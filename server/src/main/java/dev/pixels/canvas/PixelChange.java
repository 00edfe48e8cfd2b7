package dev.pixels.canvas;

/**
 * One accepted, sequenced pixel: the unit of the pixel log, of replay and of the audit trail.
 *
 * @param seq the global sequence number, from 1, without gaps
 * @param color the palette index painted
 * @param previousColor the palette index the pixel had just before {@code seq}
 * @param timestampMillis server time of acceptance, epoch milliseconds
 */
public record PixelChange(
    long seq, int x, int y, int color, int previousColor, String userId, long timestampMillis, Tool tool) {}
