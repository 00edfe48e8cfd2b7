package dev.pixels.storage;

import dev.pixels.canvas.Palette;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test helpers: an embedded-store server on a given data directory, and pixels painted over a real WebSocket. */
final class Painting {
  static final Palette PALETTE = Palette.defaultPalette();
  /** CANVAS_WIDTH when unset. */
  static final int DEFAULT_WIDTH = 900;

  private Painting() {}

  /** A server with the embedded store in {@code dataDir}; secrets are generated there, as in production. */
  static TestServer embedded(java.nio.file.Path dataDir) {
    return TestServer.start(Map.of("STORAGE", "embedded", "DATA_DIR", dataDir.toString(), "ADMIN_TOKEN", ""));
  }

  /**
   * Sends {@code n} pixels at once from one client, each on its own coordinate from {@code first}
   * on, and returns their answers (ack or reject) in order.
   */
  static List<JsonObject> paint(WsClient client, int first, int n) {
    List<String> ids = new ArrayList<>();
    for (int k = first; k < first + n; k++) {
      ids.add(client.paint(k % 64, k / 64, PALETTE.color(1 + k % 31)));
    }
    List<JsonObject> answers = new ArrayList<>();
    for (String id : ids) {
      answers.add(client.answerTo(id));
    }
    return answers;
  }

  static boolean acked(JsonObject answer) {
    return "pixel:ack".equals(answer.getString("type"));
  }
}
