package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.testing.PixelsJar;
import dev.pixels.testing.WsClient;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real jar refuses a data directory it must not use with one line on its output, naming the
 * directory or file and what to do, and exit status 1; no stack trace.
 */
class StartupRefusalIT {

  private static Map<String, String> env(Path dataDir) {
    return Map.of("STORAGE", "embedded", "DATA_DIR", dataDir.toString(), "RATE_LIMIT_PER_SECOND", "0",
        "RATE_LIMIT_PER_MINUTE", "0", "RATE_LIMIT_IP_PER_SECOND", "0");
  }

  @Test
  void aSecondProcessOnTheSameDataDirectoryExitsWithOneLineNamingIt() throws Exception {
    Path work = Files.createTempDirectory("pixels-refusal");
    Path data = work.resolve("data");
    try (PixelsJar first = PixelsJar.start(work, env(data)); WsClient client = first.connect("")) {
      client.next("canvas:state");
      assertThat(Painting.paint(client, 0, 10)).allMatch(Painting::acked);

      assertThatThrownBy(() -> PixelsJar.start(work, env(data)).close())
          .hasMessageContaining("exited with 1")
          .hasMessageContaining("Pixels cannot start: DATA_DIR " + data.toAbsolutePath() + " is in use by another Pixels server")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\tat ").doesNotContain("Exception"));

      assertThat(Painting.paint(client, 10, 10)).as("the first process is undisturbed").allMatch(Painting::acked);
    }
  }

  @Test
  void anEmptiedDatabaseStopsTheProcessWithOneLineNamingTheFile() throws Exception {
    Path work = Files.createTempDirectory("pixels-refusal");
    Path data = work.resolve("data");
    try (PixelsJar server = PixelsJar.start(work, env(data)); WsClient client = server.connect("")) {
      client.next("canvas:state");
      assertThat(Painting.paint(client, 0, 10)).allMatch(Painting::acked);
    }
    try (RandomAccessFile db = new RandomAccessFile(data.resolve("pixels.db").toFile(), "rw")) {
      db.setLength(0);
    }
    assertThatThrownBy(() -> PixelsJar.start(work, env(data)).close())
        .hasMessageContaining("exited with 1")
        .hasMessageContaining("Pixels cannot start: " + data.resolve("pixels.db").toAbsolutePath() + " is empty")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\tat ").doesNotContain("Exception"));
    assertThat(Files.size(data.resolve("pixels.db"))).isZero();
  }
}
