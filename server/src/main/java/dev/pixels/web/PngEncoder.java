package dev.pixels.web;

import dev.pixels.canvas.Palette;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes a canvas bitmap as an indexed-colour PNG whose palette is the canvas palette.
 *
 * <p>The bitmap already is what an 8-bit indexed PNG stores, so encoding is one deflate pass over
 * the rows; ImageIO's general path took 20–63 ms per 900×900 image here.
 */
public final class PngEncoder {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  private PngEncoder() {}

  static byte[] encode(byte[] pixels, int width, int height, Palette palette) {
    int[] argb = new int[palette.size()];
    for (int i = 0; i < argb.length; i++) {
      argb[i] = 0xff000000 | palette.rgb(i);
    }
    return encode(pixels, width, height, argb);
  }

  /**
   * An indexed PNG of {@code pixels} (one palette index per byte, row-major) whose palette is
   * {@code argb}; entries that are not opaque get a transparency chunk, so overlays can be drawn
   * over the canvas.
   */
  public static byte[] encode(byte[] pixels, int width, int height, int[] argb) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(pixels.length / 8 + 1024);
    out.writeBytes(SIGNATURE);

    byte[] header = new byte[13];
    putInt(header, 0, width);
    putInt(header, 4, height);
    header[8] = 8; // bit depth
    header[9] = 3; // colour type: indexed
    chunk(out, "IHDR", header);

    byte[] plte = new byte[argb.length * 3];
    byte[] trns = new byte[argb.length];
    boolean translucent = false;
    for (int i = 0; i < argb.length; i++) {
      plte[i * 3] = (byte) (argb[i] >> 16);
      plte[i * 3 + 1] = (byte) (argb[i] >> 8);
      plte[i * 3 + 2] = (byte) argb[i];
      trns[i] = (byte) (argb[i] >>> 24);
      translucent |= (argb[i] >>> 24) != 0xff;
    }
    chunk(out, "PLTE", plte);
    if (translucent) {
      chunk(out, "tRNS", trns);
    }

    byte[] scanlines = new byte[(width + 1) * height];
    for (int y = 0; y < height; y++) {
      // Each row starts with filter type 0 (none), then the row's indices unchanged.
      System.arraycopy(pixels, y * width, scanlines, y * (width + 1) + 1, width);
    }
    chunk(out, "IDAT", zlib(scanlines));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static byte[] zlib(byte[] data) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
    try {
      deflater.setInput(data);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 8 + 64);
      byte[] buffer = new byte[64 * 1024];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    byte[] length = new byte[4];
    putInt(length, 0, data.length);
    out.writeBytes(length);
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    byte[] crcBytes = new byte[4];
    putInt(crcBytes, 0, (int) crc.getValue());
    out.writeBytes(crcBytes);
  }

  private static void putInt(byte[] b, int offset, int v) {
    b[offset] = (byte) (v >>> 24);
    b[offset + 1] = (byte) (v >>> 16);
    b[offset + 2] = (byte) (v >>> 8);
    b[offset + 3] = (byte) v;
  }
}
