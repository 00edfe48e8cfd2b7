package dev.pixels.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.pixels.testing.LogCapture;
import dev.pixels.testing.RawWebSocket;
import dev.pixels.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A client's close reason cannot forge log records: the record it lands in stays one line. */
class ConnectionLogInjectionTest {
  private static final String FORGED = "bye\n2026-01-01 ERROR forged\r\u2028x";

  @Test
  void aCloseReasonWithALineBreakIsLoggedOnOneLineInTextAndJson() throws Exception {
    ILoggingEvent closed;
    try (TestServer server = TestServer.start(); LogCapture log = LogCapture.of("dev.pixels.connections")) {
      try (RawWebSocket ws = RawWebSocket.connect(server.port(), "/ws", 65_536)) {
        ws.read();
        ws.sendClose(1000, FORGED);
        ws.readUntilClose();
      }
      closed = Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> log.first(e -> e.getMessage().equals("connection closed")).orElse(null), e -> e != null);
    }

    String text = encodeAsText(closed);
    assertThat(text).endsWith("\n");
    assertThat(text.substring(0, text.length() - 1)).doesNotContain("\n", "\r", "\u2028");
    assertThat(text).contains("bye\\n2026-01-01 ERROR forged\\r\\u2028x");

    JsonLineEncoder json = new JsonLineEncoder();
    json.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    json.start();
    String line = new String(json.encode(closed), StandardCharsets.UTF_8);
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r", "\u2028");
    assertThat(new JsonObject(line).getString("reason")).doesNotContain("\n");
  }

  /** The record as the text log writes it ({@code LOG_FORMAT=text}). */
  private static String encodeAsText(ILoggingEvent event) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    encoder.setPattern(LogSetup.TEXT_PATTERN);
    encoder.start();
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}
