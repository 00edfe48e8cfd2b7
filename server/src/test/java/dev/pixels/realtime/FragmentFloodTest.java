package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.RawWebSocket;
import dev.pixels.testing.TestServer;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client that never finishes a message, sending continuation frames instead, is held to the
 * same per-connection message budget as one that sends whole messages: it is closed with 1008.
 */
class FragmentFloodTest {
  private static final int FRAMES_PER_WRITE = 500;
  private static final int MAX_WRITES = 400;

  /** A frame that does not end its message: the FIN bit of {@link RawWebSocket#frame} cleared. */
  private static byte[] unfinished(int opcode, String payload) {
    byte[] frame = RawWebSocket.frame(opcode, payload.getBytes(StandardCharsets.UTF_8));
    frame[0] &= 0x7f;
    return frame;
  }

  @Test
  void aClientFloodingContinuationFramesIsClosedWith1008() throws IOException {
    try (TestServer server = TestServer.start(Map.of("WS_MAX_MESSAGES_PER_SECOND", "50", "WS_MAX_VIOLATIONS", "5"));
        RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws", 65536)) {
      assertThat(ws.read().text()).contains("canvas:state");
      byte[] burst = new byte[FRAMES_PER_WRITE * unfinished(0x0, " ").length];
      for (int i = 0; i < FRAMES_PER_WRITE; i++) {
        byte[] f = unfinished(0x0, " ");
        System.arraycopy(f, 0, burst, i * f.length, f.length);
      }
      ws.sendRaw(unfinished(0x1, "{"));
      // 200,000 one-byte fragments at most: far beyond any budget, and, at one byte each, also
      // more than the largest message the transport assembles, so a dropped message is covered too.
      try {
        for (int i = 0; i < MAX_WRITES; i++) {
          ws.sendRaw(burst);
        }
      } catch (SocketException closedWhileSending) {
        // the server closed the connection mid-flood; its close frame is read below
      }
      RawWebSocket.Frame close = ws.readUntilClose();
      assertThat(close.closeCode()).isEqualTo(1008);
    }
  }
}
