package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Palette;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.RawWebSocket;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.ArrayList;
import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.Tool;
import org.junit.jupiter.api.Test;

/** A client that stops reading is cut loose; it never holds up the batcher or other clients. */
class SlowClientTest {

  @Test
  void aReaderThatStopsReadingIsClosedWhileOthersKeepGettingUpdatesPromptly() throws Exception {
    Palette palette = Palette.defaultPalette();
    try (TestServer server = TestServer.start(Map.of("WS_SEND_QUEUE_BYTES", "65536"));
        RawWebSocket slow = RawWebSocket.connect(server.port(), "/ws", 4096);
        WsClient painter = server.connect();
        WsClient watcher = server.connect()) {
      assertThat(slow.read().text()).contains("canvas:state");
      // From here on the slow client reads nothing until the end of the test.
      watcher.next("canvas:state");
      painter.next("canvas:state");

      // Large batches (10,000 pixels, about 360 KB a frame) overflow the socket buffers of the
      // reader that stopped (up to about 12 MB in all), while the others drain theirs.
      int red = palette.indexOf("#FF0000");
      for (int round = 0; round < 12 && slowClientCloses(server) == 0; round++) {
        List<CanvasEditor.Edit> edits = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
          edits.add(new CanvasEditor.Edit(i % 900, (i / 900 + round * 40) % 900, (red + round) % 32));
        }
        server.server().canvasEditor().apply(edits, "test", Tool.BRUSH).join();
        watcher.unread(Duration.ZERO);
      }
      // Reading again within the close deadline (after which the server resets the connection),
      // it finds the backlog the server still held, then the close frame.
      RawWebSocket.Frame close = slow.readUntilClose();
      assertThat(close.closeCode()).isEqualTo(Session.CLOSE_TOO_SLOW);
      assertThat(close.closeReason()).contains("sinceSeq=");

      // The watcher is still live: a new pixel reaches it within a few batch intervals.
      String id = painter.paint(5, 5, "#000000");
      long seq = painter.answerTo(id).getJsonObject("data").getLong("seq");
      JsonObject bulk = watcher.next(m -> "pixel:bulk_update".equals(m.getString("type"))
          && m.getJsonObject("data").getLong("toSeq") >= seq, Duration.ofSeconds(5), "the new pixel");
      assertThat(bulk.getJsonObject("data").getLong("toSeq")).isGreaterThanOrEqualTo(seq);
    }
  }

  /** Clients the server has sent 4000, whether or not their connections have ended yet. */
  private static long slowClientCloses(TestServer server) {
    return (long) server.server().metrics().registry().counter("pixels.ws.slow.client.closes").count();
  }
}
