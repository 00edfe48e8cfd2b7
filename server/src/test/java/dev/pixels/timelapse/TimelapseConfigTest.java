package dev.pixels.timelapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.Config;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The TIMELAPSE_* settings: defaults, and every bad value named in one refusal. */
class TimelapseConfigTest {

  @Test
  void theDefaultsAreAGibibyteFourWaitingJobsAndFfmpegOnThePath() {
    TimelapseSettings settings = Config.fromEnvironment(Map.of()).timelapse();
    assertThat(settings).isEqualTo(new TimelapseSettings(1L << 30, 4, "ffmpeg"));
  }

  @Test
  void outOfRangeValuesAreRefusedTogetherNamingTheRange() {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TIMELAPSE_MAX_BYTES", "1000", "TIMELAPSE_QUEUE", "0")))
        .isInstanceOf(Config.ConfigException.class)
        .hasMessageContaining("TIMELAPSE_MAX_BYTES=1000 is out of range; expected 1048576..1099511627776")
        .hasMessageContaining("TIMELAPSE_QUEUE=0 is out of range; expected 1..100");
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TIMELAPSE_MAX_BYTES", "lots")))
        .hasMessageContaining("TIMELAPSE_MAX_BYTES=lots is not a whole number");
    assertThat(Config.fromEnvironment(Map.of("TIMELAPSE_MAX_BYTES", "2097152", "TIMELAPSE_FFMPEG", "/opt/ff/ffmpeg"))
        .timelapse()).isEqualTo(new TimelapseSettings(2_097_152, 4, "/opt/ff/ffmpeg"));
  }
}
