package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.RawWebSocket;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Connections that come and go leave nothing behind in the broadcaster. */
class ReconnectStormTest {

  @Test
  void aReconnectStormLeavesAtMostOneGroupPerEventLoopAndLaterClientsStillGetUpdates() throws Exception {
    try (TestServer server = TestServer.start()) {
      Broadcaster broadcaster = server.server().broadcaster();
      for (int i = 0; i < 2_000; i++) {
        try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws", 65_536)) {
          // canvas:state arrives once the server has joined the client to its loop.
          assertThat(ws.read().text()).contains("canvas:state");
        }
      }
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> broadcaster.clientCount() == 0);

      // The server runs one event loop per processor.
      assertThat(broadcaster.loopCount()).isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors());

      try (WsClient watcher = server.connect(); WsClient painter = server.connect()) {
        watcher.next("canvas:state");
        painter.next("canvas:state");
        assertThat(broadcaster.loopCount()).isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors());
        long seq = painter.answerTo(painter.paint(3, 4, "#000000")).getJsonObject("data").getLong("seq");
        assertThat(watcher.next(m -> "pixel:bulk_update".equals(m.getString("type"))
            && m.getJsonObject("data").getLong("toSeq") >= seq, Duration.ofSeconds(5), "the new pixel"))
            .isNotNull();
      }
    }
  }
}
