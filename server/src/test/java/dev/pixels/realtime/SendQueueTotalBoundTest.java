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
 * Clients that never read are let go once their send queues together exceed the total bound, long
 * before any reaches its own limit. (Large frames make it trip sooner, since the kernel's socket
 * buffers, up to 4 MB each on loopback, take most small frames first.)
 */
class SendQueueTotalBoundTest {
  private static final int SLOW_CLIENTS = 120;
  private static final int QUEUE_BYTES = 16 * 1024 * 1024;
  private static final int TOTAL_QUEUE_BYTES = QUEUE_BYTES;

  @Test
  void slowClientsAreClosedWith4000OnceTheirQueuesTogetherExceedTheTotalThoughNoneReachesItsOwnLimit()
      throws Exception {
    Palette palette = Palette.defaultPalette();
    try (TestServer server = TestServer.start(Map.of("BATCH_INTERVAL_MS", "10",
        "WS_SEND_QUEUE_BYTES", Integer.toString(QUEUE_BYTES),
        "WS_SEND_QUEUE_TOTAL_BYTES", Integer.toString(TOTAL_QUEUE_BYTES)));
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
        int red = palette.indexOf("#FF0000");
        // 3,000 pixels a frame, about 110 KB of JSON: 100 frames are 11 MB per client, less than
        // the kernel's buffer and its own 16 MiB queue together, and over 1 GB for all of them.
        int rounds = 0;
        for (; rounds < 100 && DirectMemory.slowClientCloses(server) < SLOW_CLIENTS; rounds++) {
          List<CanvasEditor.Edit> edits = new ArrayList<>();
          for (int i = 0; i < 3_000; i++) {
            edits.add(new CanvasEditor.Edit(i % 900, (i / 900 + rounds * 4) % 900, (red + rounds) % 32));
          }
          server.server().canvasEditor().apply(edits, "test", Tool.BRUSH).join();
          if (rounds % 10 == 0) {
            String id = painter.paint(rounds % 900, 899, "#000000");
            assertThat(painter.answerTo(id).getString("type")).isEqualTo("pixel:ack");
            painter.unread(java.time.Duration.ZERO);
          }
          peak = Math.max(peak, DirectMemory.used());
        }
        long grown = peak - baseline;
        System.out.printf("direct memory: baseline %d, peak %d, grown %d bytes after %d frames; %d slow clients "
            + "closed%n", baseline, peak, grown, rounds, DirectMemory.slowClientCloses(server));

        assertThat(DirectMemory.slowClientCloses(server)).as("slow clients closed with 4000")
            .isGreaterThanOrEqualTo(SLOW_CLIENTS);
        assertThat(grown).as("direct memory grown while %d clients did not read", SLOW_CLIENTS)
            .isLessThan(24L * 1024 * 1024);
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
