package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.Palette;
import dev.pixels.canvas.Tool;
import dev.pixels.testing.RawWebSocket;
import dev.pixels.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A client the server closes but that never reads cannot answer the close handshake, and its close
 * frame is stuck behind data it does not read: the server resets it after a short deadline, so it
 * leaves the client count and frees its address's connection slot.
 */
class UnreadCloseDeadlineTest {

  @Test
  void clientsClosedWith4000ThatNeverReadAreResetAndFreeTheirAddressSlots() throws Exception {
    Palette palette = Palette.defaultPalette();
    try (TestServer server = TestServer.start(Map.of("WS_SEND_QUEUE_BYTES", "65536", "MAX_CONNECTIONS_PER_IP", "2"));
        RawWebSocket first = RawWebSocket.connect(server.port(), "/ws", 4096);
        RawWebSocket second = RawWebSocket.connect(server.port(), "/ws", 4096)) {
      assertThat(first.read().text()).contains("canvas:state");
      assertThat(second.read().text()).contains("canvas:state");
      // From here on neither reads. They hold both slots of 127.0.0.1.
      assertThatThrownBy(() -> RawWebSocket.connect(server.port(), "/ws", 4096).close())
          .isInstanceOf(IOException.class).hasMessageContaining("429");

      // Batches of 10,000 pixels (about 360 KB a frame) overflow both send queues.
      int red = palette.indexOf("#FF0000");
      for (int round = 0; round < 40 && tooSlowCloses(server) < 2; round++) {
        List<CanvasEditor.Edit> edits = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
          edits.add(new CanvasEditor.Edit(i % 900, (i / 900 + round * 40) % 900, (red + round) % 32));
        }
        server.server().canvasEditor().apply(edits, "test", Tool.BRUSH).join();
      }
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> tooSlowCloses(server) == 2);

      // The close deadline is 2 s; the margin covers a busy machine.
      Awaitility.await().atMost(Duration.ofSeconds(2 + 8)).until(() -> clientsReported(server) == 0);
      try (RawWebSocket again = RawWebSocket.connect(server.port(), "/ws", 65_536)) {
        assertThat(again.read().text()).contains("canvas:state");
      }
    }
  }

  @Test
  void aSilentClientClosedForIdlenessIsGoneWithinTheCloseDeadline() throws Exception {
    // Idle after 1 s; Vert.x alone would wait 10 s more for the answer to the close.
    try (TestServer server = TestServer.start(Map.of("WS_IDLE_TIMEOUT_MS", "1000", "WS_PING_INTERVAL_MS", "500"));
        RawWebSocket silent = RawWebSocket.connect(server.port(), "/ws", 4096)) {
      assertThat(silent.read().text()).contains("canvas:state");
      // It answers no ping and no close, like a peer that vanished: idle after 1 s, reset 2 s later.
      Awaitility.await().atMost(Duration.ofSeconds(8)).until(() -> clientsReported(server) == 0);
    }
  }

  /** Clients the server has sent 4000, whether or not their connections have ended yet. */
  private static long tooSlowCloses(TestServer server) {
    return (long) server.server().metrics().registry().counter("pixels.ws.slow.client.closes").count();
  }

  private static int clientsReported(TestServer server) {
    return new JsonObject(new String(server.get("/", "Accept", "application/json").body())).getInteger("clients");
  }
}
