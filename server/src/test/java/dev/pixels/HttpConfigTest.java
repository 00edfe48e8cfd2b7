package dev.pixels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP connection settings and the web page's framing policy. */
class HttpConfigTest {

  @Test
  void connectionLimitsDefaultToBoundedTimeoutsAndTwiceTheWebSocketCap() {
    Config.Http http = Config.fromEnvironment(Map.of()).http();
    assertThat(http.idleTimeout()).isEqualTo(Duration.ofSeconds(65));
    assertThat(http.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(http.maxConnectionsPerIp()).isEqualTo(100);
    assertThat(http.frameAncestors()).isNull();
    assertThat(Config.fromEnvironment(Map.of("MAX_CONNECTIONS_PER_IP", "0")).http().maxConnectionsPerIp()).isZero();
  }

  @Test
  void theIdleTimeoutFollowsALongPingInterval() {
    assertThat(Config.fromEnvironment(Map.of("WS_PING_INTERVAL_MS", "40000")).http().idleTimeout())
        .isEqualTo(Duration.ofSeconds(80));
  }

  @Test
  void anIdleTimeoutThatWouldCutHealthyWebSocketsAndUnsafeFrameAncestorsAreRefused() {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("HTTP_IDLE_TIMEOUT_MS", "20000",
        "FRAME_ANCESTORS", "'self'; script-src *")))
        .isInstanceOf(Config.ConfigException.class)
        .hasMessageContaining("HTTP_IDLE_TIMEOUT_MS=20000 must be at least twice WS_PING_INTERVAL_MS")
        .hasMessageContaining("FRAME_ANCESTORS");
  }
}
