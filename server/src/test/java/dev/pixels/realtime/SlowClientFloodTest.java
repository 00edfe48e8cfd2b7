package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.Palette;
import dev.pixels.canvas.Tool;
import dev.pixels.testing.RawWebSocket;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Many clients that never read cannot together make the server hold memory without bound: each
 * broadcast frame is shared between them, and their send queues are bounded in total, not only
 * one by one.
 */
class SlowClientFloodTest {
  private static final int SLOW_CLIENTS = 120;
  private static final int TOTAL_QUEUE_BYTES = 8 * 1024 * 1024;

  @Test
  void manyClientsThatNeverReadAreClosedWith4000WhileDirectMemoryStaysBoundedAndAPainterKeepsGettingAcks()
      throws Exception {
    Palette palette = Palette.defaultPalette();
    // Each client may queue the default 1 MiB: 120 MiB in all if only the per-client bound held.
    try (TestServer server = TestServer.start(Map.of("WS_SEND_QUEUE_TOTAL_BYTES", Integer.toString(TOTAL_QUEUE_BYTES)));
        WsClient painter = server.connect()) {
      painter.next("canvas:state");
      List<RawWebSocket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < SLOW_CLIENTS; i++) {
          RawWebSocket client = RawWebSocket.connect(server.port(), "/ws", 4096);
          slow.add(client);
          assertThat(client.read().text()).contains("canvas:state");
          // From here on it reads nothing.
        }
        long baseline = DirectMemory.used();
        long peak = baseline;
        int acked = 0;
        int red = palette.indexOf("#FF0000");
        // Frames of 3,000 pixels (about 110 KB of JSON) back up in every slow client's queue, while
        // a painter paints steadily and reads everything.
        for (int round = 0; round < 60 && DirectMemory.slowClientCloses(server) < SLOW_CLIENTS; round++) {
          List<CanvasEditor.Edit> edits = new ArrayList<>();
          for (int i = 0; i < 3_000; i++) {
            edits.add(new CanvasEditor.Edit(i % 900, (i / 900 + round * 4) % 900, (red + round) % 32));
          }
          server.server().canvasEditor().apply(edits, "test", Tool.BRUSH).join();
          String id = painter.paint(round, 899, "#000000");
          assertThat(painter.answerTo(id).getString("type")).isEqualTo("pixel:ack");
          acked++;
          peak = Math.max(peak, DirectMemory.used());
          painter.unread(java.time.Duration.ZERO);
        }
        long grown = peak - baseline;
        System.out.printf("direct memory: baseline %d, peak %d, grown %d bytes; %d acks; %d slow clients closed%n",
            baseline, peak, grown, acked, DirectMemory.slowClientCloses(server));

        assertThat(DirectMemory.slowClientCloses(server)).as("slow clients closed with 4000")
            .isGreaterThanOrEqualTo(SLOW_CLIENTS);
        assertThat(grown).as("direct memory grown while %d clients did not read", SLOW_CLIENTS)
            .isLessThan(40L * 1024 * 1024);
        // The painter still gets its acks after the flood.
        String id = painter.paint(1, 1, "#000000");
        assertThat(painter.answerTo(id).getString("type")).isEqualTo("pixel:ack");
      } finally {
        for (RawWebSocket client : slow) {
          client.close();
        }
      }
    }
  }
}
