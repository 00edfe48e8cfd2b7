package dev.pixels.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class JsonLineEncoderTest {
  private final LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();

  private String encode(LoggingEvent event) {
    JsonLineEncoder encoder = new JsonLineEncoder();
    encoder.setContext(context);
    encoder.start();
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }

  private LoggingEvent event(String message, Throwable thrown, Object... args) {
    LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("dev.pixels.Test"), Level.WARN, message, thrown, args);
    event.setTimeStamp(1_700_000_000_123L);
    return event;
  }

  @Test
  void anEventIsOneLineOfJsonWithTimestampLevelLoggerMessageAndItsFieldsAtTopLevel() {
    LoggingEvent event = event("batch of {} failed: \"quoted\"\nsecond line", null, 3);
    event.setMDCPropertyMap(Map.of("requestId", "r-7"));
    event.setKeyValuePairs(List.of(new KeyValuePair("userId", "anon-1"), new KeyValuePair("seq", 42L),
        new KeyValuePair("reason", "rate_limited")));

    String line = encode(event);

    assertThat(line).endsWith("}\n");
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n");
    JsonObject json = new JsonObject(line);
    assertThat(json.getString("timestamp")).isEqualTo("2023-11-14T22:13:20.123Z");
    assertThat(json.getString("level")).isEqualTo("WARN");
    assertThat(json.getString("logger")).isEqualTo("dev.pixels.Test");
    assertThat(json.getString("message")).isEqualTo("batch of 3 failed: \"quoted\"\nsecond line");
    assertThat(json.getString("requestId")).isEqualTo("r-7");
    assertThat(json.getString("userId")).isEqualTo("anon-1");
    assertThat(json.getLong("seq")).isEqualTo(42L);
    assertThat(json.getString("reason")).isEqualTo("rate_limited");
  }

  @Test
  void anExceptionIsOneFieldWithItsStackTraceAndAFieldCannotOverrideAFixedOne() {
    LoggingEvent event = event("store down", new IllegalStateException("disk full"));
    event.setKeyValuePairs(List.of(new KeyValuePair("level", "spoofed")));

    JsonObject json = new JsonObject(encode(event));

    assertThat(json.getString("level")).isEqualTo("WARN");
    assertThat(json.getString("exception")).startsWith("java.lang.IllegalStateException: disk full\n\tat ");
  }
}
