package dev.pixels.canvas;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A width×height grid of palette indices, one byte per pixel, row-major from the top-left, with
 * the sequence number of the last change applied to it.
 *
 * <p>Not thread-safe: each instance has one owner. The server's durable canvas is owned by the
 * batcher, which shares copies through {@link #copyPixels()} under its own lock.
 */
public final class Canvas {
  private final int width;
  private final int height;
  private final byte[] pixels;
  private long seq;

  public Canvas(int width, int height) {
    this(width, height, new byte[Math.multiplyExact(width, height)], 0);
  }

  public Canvas(int width, int height, byte[] pixels, long seq) {
    if (pixels.length != width * height) {
      throw new IllegalArgumentException(
          "bitmap has " + pixels.length + " bytes; a " + width + "x" + height + " canvas needs " + width * height);
    }
    this.width = width;
    this.height = height;
    this.pixels = pixels;
    this.seq = seq;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public long seq() {
    return seq;
  }

  public boolean contains(long x, long y) {
    return x >= 0 && y >= 0 && x < width && y < height;
  }

  public int get(int x, int y) {
    return pixels[y * width + x] & 0xFF;
  }

  /** Sets one pixel and returns the index it had before. */
  public int set(int x, int y, int color) {
    int offset = y * width + x;
    int previous = pixels[offset] & 0xFF;
    pixels[offset] = (byte) color;
    return previous;
  }

  /** Applies a sequenced change; the canvas then stands at {@code change.seq()}. */
  public void apply(PixelChange change) {
    set(change.x(), change.y(), change.color());
    seq = change.seq();
  }

  public byte[] copyPixels() {
    return pixels.clone();
  }

  /** The SHA-256 of the bitmap as lowercase hex: the {@code hash} of the protocol and the ETag. */
  public String sha256Hex() {
    return sha256Hex(pixels);
  }

  public static String sha256Hex(byte[] bitmap) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bitmap));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }
}
