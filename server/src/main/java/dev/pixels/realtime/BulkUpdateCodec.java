package dev.pixels.realtime;

import dev.pixels.canvas.Palette;
import dev.pixels.canvas.PixelChange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Encodes a {@link CommittedBatch} as a {@code pixel:bulk_update} frame: JSON by default, or the
 * compact binary form of the {@code pixels.v1.bin} subprotocol; both are specified byte for byte in
 * docs/protocol.md.
 *
 * <p>Encoding happens once per batch and the bytes are shared by every connection, so it is
 * written by hand for speed. All output is ASCII, so the chars are the UTF-8 bytes.
 */
public final class BulkUpdateCodec {
  /** The WebSocket subprotocol that selects binary bulk updates. */
  public static final String BINARY_SUBPROTOCOL = "pixels.v1.bin";
  /** First byte of a binary bulk update. */
  static final byte BINARY_BULK_UPDATE = 0x01;
  /** Second byte: the layout version. */
  static final byte BINARY_VERSION = 0x01;
  /** Bytes before the first pixel. */
  static final int BINARY_HEADER_BYTES = 64;
  /** Bytes per pixel: x and y as unsigned 16-bit, the palette index as one byte. */
  static final int BINARY_PIXEL_BYTES = 5;

  private final Palette palette;

  public BulkUpdateCodec(Palette palette) {
    this.palette = palette;
  }

  private static final String JSON_HEAD = "{\"type\":\"pixel:bulk_update\",\"data\":{\"pixels\":[";

  /** The UTF-8 bytes of the frame. */
  public byte[] encodeJson(CommittedBatch batch) {
    StringBuilder out = new StringBuilder(96 + batch.changes().size() * 36);
    out.append(JSON_HEAD);
    boolean first = true;
    for (PixelChange c : batch.changes()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append("{\"x\":").append(c.x())
          .append(",\"y\":").append(c.y())
          .append(",\"color\":\"").append(palette.color(c.color())).append("\"}");
    }
    appendTail(out, batch);
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void appendTail(StringBuilder out, CommittedBatch batch) {
    out.append("],\"hash\":\"").append(batch.hash())
        .append("\",\"fromSeq\":").append(batch.fromSeq())
        .append(",\"toSeq\":").append(batch.toSeq())
        .append("},\"timestamp\":\"").append(Instant.ofEpochMilli(batch.timestampMillis()))
        .append("\"}");
  }

  /**
   * The JSON frame of {@code merged} built from the frames of the consecutive batches it merges,
   * byte for byte equal to {@code encodeJson(merged)}: their pixel arrays are copied, not
   * re-formatted. Each frame's array ends at its first {@code ]}, since a pixel holds none. The
   * frames are read from their positions to their limits and left as they were; the result is a
   * heap buffer, which {@link SharedFrame} copies once into the frame that connections share.
   */
  ByteBuffer spliceJson(List<ByteBuffer> frames, CommittedBatch merged) {
    int head = JSON_HEAD.length();
    StringBuilder tail = new StringBuilder(160);
    appendTail(tail, merged);
    int size = head + tail.length() + frames.size() - 1;
    int[] ends = new int[frames.size()];
    for (int i = 0; i < frames.size(); i++) {
      ends[i] = indexOf(frames.get(i), (byte) ']', head);
      size += ends[i] - head;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    ByteBuffer first = frames.get(0);
    out.put(first.slice(first.position(), head));
    for (int i = 0; i < frames.size(); i++) {
      if (i > 0) {
        out.put((byte) ',');
      }
      ByteBuffer frame = frames.get(i);
      out.put(frame.slice(frame.position() + head, ends[i] - head));
    }
    out.put(tail.toString().getBytes(StandardCharsets.US_ASCII));
    return out.flip();
  }

  /** The offset of the first {@code wanted} at or after {@code from}, relative to the position. */
  private static int indexOf(ByteBuffer bytes, byte wanted, int from) {
    int base = bytes.position();
    for (int i = base + from; i < bytes.limit(); i++) {
      if (bytes.get(i) == wanted) {
        return i - base;
      }
    }
    throw new IllegalArgumentException("not a bulk_update frame");
  }

  /**
   * The binary frame: a 64-byte header (type, version, two reserved bytes, fromSeq, toSeq,
   * timestamp millis, the 32-byte SHA-256, the pixel count), then 5 bytes per pixel. Big-endian.
   */
  public byte[] encodeBinary(CommittedBatch batch) {
    int count = batch.changes().size();
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(BINARY_HEADER_BYTES + count * BINARY_PIXEL_BYTES);
    out.put(BINARY_BULK_UPDATE).put(BINARY_VERSION).putShort((short) 0)
        .putLong(batch.fromSeq()).putLong(batch.toSeq()).putLong(batch.timestampMillis())
        .put(java.util.HexFormat.of().parseHex(batch.hash()))
        .putInt(count);
    for (PixelChange c : batch.changes()) {
      out.putShort((short) c.x()).putShort((short) c.y()).put((byte) c.color());
    }
    return out.array();
  }
}
