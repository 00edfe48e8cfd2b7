package dev.pixels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.ops.LogFormat;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operations settings: LOG_FORMAT, LOG_IPS, METRICS_TOKEN, SHUTDOWN_TIMEOUT_MS. */
class OpsConfigTest {

  @Test
  void operationsSettingsDefaultToTextLogsWithoutIpsAnOpenMetricsEndpointAndATenSecondShutdown() {
    Config config = Config.fromEnvironment(Map.of());
    assertThat(config.logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(config.logIps()).isFalse();
    assertThat(config.metricsToken()).isNull();
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void operationsSettingsAreRead() {
    Config config = Config.fromEnvironment(Map.of("LOG_FORMAT", "JSON", "LOG_IPS", "true",
        "METRICS_TOKEN", "tok", "SHUTDOWN_TIMEOUT_MS", "2500"));
    assertThat(config.logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(config.logIps()).isTrue();
    assertThat(config.metricsToken()).isEqualTo("tok");
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void badOperationsSettingsAreAllNamedInOneMessage() {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("LOG_FORMAT", "xml", "LOG_IPS", "maybe",
        "SHUTDOWN_TIMEOUT_MS", "0")))
        .isInstanceOf(Config.ConfigException.class)
        .hasMessageContaining("LOG_FORMAT=xml")
        .hasMessageContaining("LOG_IPS=maybe")
        .hasMessageContaining("SHUTDOWN_TIMEOUT_MS=0");
  }

  @Test
  void theMetricsTokenNeverAppearsInTheConfigurationsText() {
    Config config = Config.fromEnvironment(Map.of("METRICS_TOKEN", "very-secret-value"));
    assertThat(config.toString()).doesNotContain("very-secret-value").contains("metricsToken=set");
  }
}
