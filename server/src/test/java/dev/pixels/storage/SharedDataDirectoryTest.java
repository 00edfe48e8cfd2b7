package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two servers on one data directory would write the same seqs; the second one refuses to start. */
class SharedDataDirectoryTest {

  @Test
  void aSecondServerOnTheSameDataDirectoryRefusesToStartUntilTheFirstCloses(@TempDir Path dir) {
    try (TestServer first = Painting.embedded(dir); WsClient client = first.connect("")) {
      client.next("canvas:state");
      assertThat(Painting.paint(client, 0, 20)).allMatch(Painting::acked);

      assertThatThrownBy(() -> Painting.embedded(dir).close())
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("DATA_DIR " + dir.toAbsolutePath())
          .hasMessageContaining("in use by another Pixels server");

      assertThat(Painting.paint(client, 20, 20)).as("the first server is undisturbed").allMatch(Painting::acked);
    }
    try (TestServer next = Painting.embedded(dir); WsClient client = next.connect("")) {
      assertThat(client.next("canvas:state").getJsonObject("data").getLong("seq")).isEqualTo(40);
      assertThat(Painting.paint(client, 40, 20)).allMatch(Painting::acked);
    }
  }

  @Test
  void aServerThatFailsAfterOpeningTheStoreLeavesTheDirectoryFree(@TempDir Path dir) {
    try (TestServer first = Painting.embedded(dir); WsClient client = first.connect("")) {
      client.next("canvas:state");
      assertThat(Painting.paint(client, 0, 5)).allMatch(Painting::acked);
    }
    java.util.Map<String, String> otherSize = java.util.Map.of("STORAGE", "embedded", "DATA_DIR", dir.toString(),
        "CANVAS_WIDTH", "800");
    assertThatThrownBy(() -> TestServer.start(otherSize).close())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("CANVAS_WIDTH/CANVAS_HEIGHT");

    try (TestServer next = Painting.embedded(dir)) {
      assertThat(next.server().seq()).isEqualTo(5);
    }
  }
}
