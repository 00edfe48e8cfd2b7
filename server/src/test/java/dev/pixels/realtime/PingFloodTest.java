package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.pixels.testing.LogCapture;
import dev.pixels.testing.RawWebSocket;
import dev.pixels.testing.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pings cost the server a pong each, written by the transport itself: a client that pings without
 * reading must be cut off like any other flood, before the pongs pile up.
 */
class PingFloodTest {
  /** Far more than the socket buffers of both ends can hold; a flood that gets this far was never stopped. */
  private static final long FLOOD_CAP_BYTES = 128L << 20;

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void aClientThatFloodsPingsAndNeverReadsIsClosedWith4000AndCutOff() throws Exception {
    try (TestServer server = TestServer.start(Map.of("WS_SEND_QUEUE_BYTES", "65536"));
        LogCapture log = LogCapture.of("dev.pixels.connections");
        RawWebSocket flooder = RawWebSocket.connect(server.port(), "/ws", 4096)) {
      assertThat(flooder.read().text()).contains("canvas:state");

      long sent = flood(flooder);

      assertThat(sent).as("bytes of pings the server took before cutting the client off").isLessThan(FLOOD_CAP_BYTES);
      assertThat(closeCodeLogged(log)).isEqualTo("4000");
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.server().broadcaster().clientCount() == 0);
    }
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void pingsCountAgainstTheMessageBudgetSoAPingFloodIsClosedWith1008() throws Exception {
    try (TestServer server = TestServer.start(Map.of("WS_MAX_MESSAGES_PER_SECOND", "100", "WS_MAX_VIOLATIONS", "5"));
        LogCapture log = LogCapture.of("dev.pixels.connections");
        RawWebSocket flooder = RawWebSocket.connect(server.port(), "/ws", 4096)) {
      assertThat(flooder.read().text()).contains("canvas:state");

      long sent = flood(flooder);

      assertThat(sent).isLessThan(FLOOD_CAP_BYTES);
      assertThat(closeCodeLogged(log)).isEqualTo("1008");
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.server().broadcaster().clientCount() == 0);
    }
  }

  /** Sends pings with the largest payload allowed until the connection fails or the cap; returns the bytes sent. */
  private static long flood(RawWebSocket flooder) {
    byte[] ping = RawWebSocket.frame(0x9, new byte[125]);
    byte[] chunk = new byte[ping.length * 1000];
    for (int i = 0; i < 1000; i++) {
      System.arraycopy(ping, 0, chunk, i * ping.length, ping.length);
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
    return sent;
  }

  private static String closeCodeLogged(LogCapture log) {
    ILoggingEvent closed = Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> log.first(e -> e.getMessage().equals("connection closed")).orElse(null), e -> e != null);
    return String.valueOf(LogCapture.value(closed, "closeCode"));
  }
}
