package dev.pixels.realtime;

import dev.pixels.canvas.Palette;
import dev.pixels.canvas.PixelChange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Encodes a {@link CommittedBatch} as the JSON {@code pixel:bulk_update} frame of
 * docs/protocol.md.
 *
 * <p>Encoding happens once per batch and the bytes are shared by every connection, so it is
 * written by hand for speed. All output is ASCII, so the chars are the UTF-8 bytes.
 */
public final class BulkUpdateCodec {
  private final Palette palette;

  public BulkUpdateCodec(Palette palette) {
    this.palette = palette;
  }

  /** The UTF-8 bytes of the frame. */
  public byte[] encodeJson(CommittedBatch batch) {
    StringBuilder out = new StringBuilder(96 + batch.changes().size() * 36);
    out.append("{\"type\":\"pixel:bulk_update\",\"data\":{\"pixels\":[");
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
    out.append("],\"hash\":\"").append(batch.hash())
        .append("\",\"fromSeq\":").append(batch.fromSeq())
        .append(",\"toSeq\":").append(batch.toSeq())
        .append("},\"timestamp\":\"").append(Instant.ofEpochMilli(batch.timestampMillis()))
        .append("\"}");
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
