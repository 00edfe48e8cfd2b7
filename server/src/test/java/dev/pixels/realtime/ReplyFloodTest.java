package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.pixels.testing.LogCapture;
import dev.pixels.testing.RawWebSocket;
import dev.pixels.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Replies (rejects, errors) respect the send-queue bound as broadcasts do. */
class ReplyFloodTest {
  private static final long FLOOD_CAP_BYTES = 128L << 20;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aClientThatSendsInvalidPixelsAndNeverReadsIsClosedWith4000AndCutOff() throws Exception {
    try (TestServer server = TestServer.start(Map.of("WS_SEND_QUEUE_BYTES", "65536"));
        LogCapture log = LogCapture.of("dev.pixels.connections");
        RawWebSocket flooder = RawWebSocket.connect(server.port(), "/ws", 4096)) {
      assertThat(flooder.read().text()).contains("canvas:state");
      byte[] invalid = RawWebSocket.frame(0x1,
          "{\"type\":\"pixel:update\",\"id\":\"p\",\"data\":{\"x\":1,\"y\":1,\"color\":\"#123456\"}}"
              .getBytes(StandardCharsets.UTF_8));
      byte[] chunk = new byte[invalid.length * 1000];
      for (int i = 0; i < 1000; i++) {
        System.arraycopy(invalid, 0, chunk, i * invalid.length, invalid.length);
      }

      long sent = 0;
      try {
        while (sent < FLOOD_CAP_BYTES) {
          flooder.sendRaw(chunk);
          sent += chunk.length;
        }
      } catch (IOException e) {
        // The server reset the connection: the flood is over.
      }

      assertThat(sent).as("bytes of invalid pixels the server took before cutting the client off")
          .isLessThan(FLOOD_CAP_BYTES);
      ILoggingEvent closed = Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> log.first(e -> e.getMessage().equals("connection closed")).orElse(null), e -> e != null);
      assertThat(LogCapture.value(closed, "closeCode")).isEqualTo("4000");
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.server().broadcaster().clientCount() == 0);
    }
  }
}
