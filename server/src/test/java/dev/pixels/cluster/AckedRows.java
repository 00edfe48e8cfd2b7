package dev.pixels.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Palette;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Rows of distinct pixels painted through a real client, every one of them expected to be acked. */
final class AckedRows {
  private static final Palette PALETTE = Palette.defaultPalette();

  private AckedRows() {
  }

  /**
   * Paints the first {@code count} pixels of {@code row}, expects every one acked, and returns them,
   * offset on a {@code canvasWidth} wide canvas -> colour index.
   */
  static Map<Integer, Integer> paint(WsClient painter, int row, int count, int canvasWidth) {
    Map<Integer, Integer> acked = new HashMap<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(painter.paint(i, row, PALETTE.colors().get(i % 31 + 1)));
    }
    for (int i = 0; i < count; i++) {
      JsonObject answer = painter.answerTo(ids.get(i));
      assertThat(answer.getString("type")).as("answer %s", answer).isEqualTo("pixel:ack");
      acked.put(row * canvasWidth + i, i % 31 + 1);
    }
    return acked;
  }
}
