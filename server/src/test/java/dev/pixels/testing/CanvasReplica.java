package dev.pixels.testing;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.Palette;
import io.vertx.core.json.JsonObject;

/**
 * A client-side copy of the canvas built only from {@code pixel:bulk_update} frames, checking the
 * protocol's promises as it goes: contiguous seqs and the advertised hash after each batch.
 */
public final class CanvasReplica {
  private final Canvas canvas;
  private final Palette palette;
  private long seq;

  public CanvasReplica(int width, int height, byte[] bitmap, long seq, Palette palette) {
    this.canvas = new Canvas(width, height, bitmap.clone(), seq);
    this.palette = palette;
    this.seq = seq;
  }

  /** Applies one bulk update, failing the test if it has a gap or its hash disagrees. */
  public void apply(JsonObject bulkUpdate) {
    JsonObject data = bulkUpdate.getJsonObject("data");
    long from = data.getLong("fromSeq");
    long to = data.getLong("toSeq");
    if (from != seq + 1) {
      throw new AssertionError("gap or overlap: expected fromSeq " + (seq + 1) + " but got " + from);
    }
    var pixels = data.getJsonArray("pixels");
    if (pixels.size() != to - from + 1) {
      throw new AssertionError("batch " + from + ".." + to + " holds " + pixels.size() + " pixels");
    }
    for (int i = 0; i < pixels.size(); i++) {
      JsonObject p = pixels.getJsonObject(i);
      canvas.set(p.getInteger("x"), p.getInteger("y"), palette.indexOf(p.getString("color")));
    }
    seq = to;
    String hash = canvas.sha256Hex();
    if (!hash.equals(data.getString("hash"))) {
      throw new AssertionError("hash after seq " + to + " is " + hash + " but the server said " + data.getString("hash"));
    }
  }

  public long seq() {
    return seq;
  }

  public byte[] bitmap() {
    return canvas.copyPixels();
  }

  public String hash() {
    return canvas.sha256Hex();
  }
}
