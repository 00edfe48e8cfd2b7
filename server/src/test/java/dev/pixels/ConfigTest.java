package dev.pixels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

  @Test
  void anEmptyEnvironmentGivesTheDocumentedDefaults() {
    Config config = Config.fromEnvironment(Map.of());
    assertThat(config.port()).isEqualTo(8000);
    assertThat(config.host()).isEqualTo("0.0.0.0");
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.storage()).isEqualTo(Config.StorageKind.EMBEDDED);
    assertThat(config.canvasWidth()).isEqualTo(900);
    assertThat(config.canvasHeight()).isEqualTo(900);
    assertThat(config.palette().size()).isEqualTo(32);
    assertThat(config.batchInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.snapshotMaxAge()).isEqualTo(Duration.ofMillis(1000));
    assertThat(config.maxFrameBytes()).isEqualTo(4096);
    assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void valuesAreReadAndTrimmed() {
    Config config = Config.fromEnvironment(Map.of("PORT", " 9000 ", "STORAGE", "MEMORY", "CANVAS_WIDTH", "16",
        "PALETTE", "#000000,#FFFFFF", "BATCH_INTERVAL_MS", "20"));
    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.storage()).isEqualTo(Config.StorageKind.MEMORY);
    assertThat(config.canvasWidth()).isEqualTo(16);
    assertThat(config.palette().colors()).containsExactly("#000000", "#FFFFFF");
    assertThat(config.batchInterval()).isEqualTo(Duration.ofMillis(20));
  }

  @Test
  void everyBadValueIsNamedInOneError() {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of(
            "PORT", "eighty", "CANVAS_WIDTH", "0", "CANVAS_HEIGHT", "5000", "STORAGE", "floppy", "PALETTE", "#12")))
        .isInstanceOf(Config.ConfigException.class)
        .hasMessageContaining("PORT=eighty is not a whole number")
        .hasMessageContaining("CANVAS_WIDTH=0 is out of range")
        .hasMessageContaining("CANVAS_HEIGHT=5000 is out of range")
        .hasMessageContaining("STORAGE=floppy")
        .hasMessageContaining("PALETTE");
  }

  @Test
  void blankValuesMeanTheDefault() {
    assertThat(Config.fromEnvironment(Map.of("PORT", "  ")).port()).isEqualTo(8000);
  }

  @Test
  void theSendQueuesOfAllClientsTogetherDefaultTo128MiBAndMayNotBeSmallerThanOneClientsQueue() {
    assertThat(Config.fromEnvironment(Map.of()).sendQueueTotalBytes()).isEqualTo(128 * 1024 * 1024);
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of(
            "WS_SEND_QUEUE_BYTES", "4194304", "WS_SEND_QUEUE_TOTAL_BYTES", "2097152")))
        .isInstanceOf(Config.ConfigException.class)
        .hasMessageContaining("WS_SEND_QUEUE_TOTAL_BYTES=2097152 must be at least WS_SEND_QUEUE_BYTES (4194304)");
  }

  @Test
  void pixelInfoShowsTheUserAndAllows20LookupsPerTwoMinutesUnlessToldOtherwise() {
    Config.PixelInfo defaults = Config.fromEnvironment(Map.of()).pixelInfo();
    assertThat(defaults).isEqualTo(new Config.PixelInfo(true, 20, Duration.ofSeconds(120)));
    assertThat(Config.fromEnvironment(Map.of("PIXEL_INFO_SHOW_USER", "false", "REST_LIMIT_PIXEL_INFO", "0",
        "REST_LIMIT_PIXEL_INFO_WINDOW_SECONDS", "60")).pixelInfo())
        .isEqualTo(new Config.PixelInfo(false, 0, Duration.ofSeconds(60)));
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("PIXEL_INFO_SHOW_USER", "nope",
            "REST_LIMIT_PIXEL_INFO", "-1", "REST_LIMIT_PIXEL_INFO_WINDOW_SECONDS", "0")))
        .isInstanceOf(Config.ConfigException.class)
        .hasMessageContaining("PIXEL_INFO_SHOW_USER=nope")
        .hasMessageContaining("REST_LIMIT_PIXEL_INFO=-1")
        .hasMessageContaining("REST_LIMIT_PIXEL_INFO_WINDOW_SECONDS=0");
  }
}
