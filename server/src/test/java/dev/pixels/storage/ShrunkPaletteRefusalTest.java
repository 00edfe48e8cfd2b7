package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canvas painted with more colours than a later {@code PALETTE} holds would be served with
 * palette indices that name no colour; the server refuses to start on it instead, and starts again
 * with the palette it was painted with.
 */
class ShrunkPaletteRefusalTest {

  @Test
  void aServerRestartedWithAPaletteTooSmallForTheStoredCanvasRefusesToStart(@TempDir Path dir) {
    try (TestServer first = Painting.embedded(dir); WsClient client = first.connect("")) {
      client.next("canvas:state");
      assertThat(Painting.paint(client, 0, 31)).allMatch(Painting::acked);
    }
    Map<String, String> twoColours = Map.of("STORAGE", "embedded", "DATA_DIR", dir.toString(), "ADMIN_TOKEN", "",
        "PALETTE", "#FFFFFF,#E4E4E4");
    assertThatThrownBy(() -> TestServer.start(twoColours).close())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("colour index 31")
        .hasMessageContaining("PALETTE has 2 colours");

    try (TestServer next = Painting.embedded(dir)) {
      assertThat(next.server().seq()).isEqualTo(31);
    }
  }
}
