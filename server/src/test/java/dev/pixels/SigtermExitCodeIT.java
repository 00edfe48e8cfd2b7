package dev.pixels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.PixelsJar;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A graceful stop is the normal end of the service, so the process reports success. */
class SigtermExitCodeIT {

  @Test
  void theJarExitsWithZeroAfterAGracefulStopOnSigterm() throws Exception {
    try (PixelsJar jar = PixelsJar.start(Files.createTempDirectory("pixels-sigterm-it"),
        Map.of("STORAGE", "embedded", "DATA_DIR", Files.createTempDirectory("pixels-sigterm-data").toString()))) {
      assertThat(jar.get("/health").statusCode()).isEqualTo(200);

      int exitCode = jar.terminate();

      assertThat(exitCode).as("exit code after SIGTERM; log:%n%s", jar.log()).isZero();
      assertThat(jar.log()).contains("Pixels stopped at seq");
    }
  }
}
