package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory that held a canvas and has lost its database starts nothing: an empty canvas
 * there would silently drop every acknowledged pixel. Only a new directory starts empty.
 */
class LostDatabaseRefusalTest {

  private static void paintAndStop(Path dataDir) {
    try (TestServer server = Painting.embedded(dataDir); WsClient client = server.connect("")) {
      client.next("canvas:state");
      assertThat(Painting.paint(client, 0, 200)).allMatch(Painting::acked);
    }
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName() + ":" + p.toFile().length()).sorted().toList();
    }
  }

  @Test
  void aDatabaseTruncatedToZeroBytesInAUsedDataDirectoryIsRefusedAndLeftAlone(@TempDir Path dir) throws Exception {
    paintAndStop(dir);
    try (RandomAccessFile db = new RandomAccessFile(dir.resolve("pixels.db").toFile(), "rw")) {
      db.setLength(0);
    }
    List<String> before = listing(dir);

    assertThatThrownBy(() -> Painting.embedded(dir))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(dir.resolve("pixels.db").toAbsolutePath().toString())
        .hasMessageContaining("is empty")
        .hasMessageContaining("Restore pixels.db from a backup");
    assertThat(listing(dir)).isEqualTo(before);
  }

  @Test
  void aDeletedDatabaseWhoseSecretsRemainIsRefusedAndNotRecreated(@TempDir Path dir) throws Exception {
    paintAndStop(dir);
    Files.delete(dir.resolve("pixels.db"));
    List<String> before = listing(dir);

    assertThatThrownBy(() -> Painting.embedded(dir))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(dir.resolve("pixels.db").toAbsolutePath().toString())
        .hasMessageContaining("is missing")
        .hasMessageContaining("session-secret");
    assertThat(listing(dir)).isEqualTo(before).doesNotContain("pixels.db:0");
  }

  @Test
  void aTruncatedDatabaseIsRefusedEvenWhenNoSecretWasGenerated(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("STORAGE", "embedded", "DATA_DIR", dir.toString(),
        "SESSION_SECRET", "a-configured-session-secret");
    try (TestServer server = TestServer.start(env); WsClient client = server.connect("")) {
      client.next("canvas:state");
      assertThat(Painting.paint(client, 0, 50)).allMatch(Painting::acked);
    }
    try (RandomAccessFile db = new RandomAccessFile(dir.resolve("pixels.db").toFile(), "rw")) {
      db.setLength(0);
    }

    assertThatThrownBy(() -> TestServer.start(env))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(dir.resolve("pixels.db").toAbsolutePath().toString());
    assertThat(Files.size(dir.resolve("pixels.db"))).isZero();
  }

  @Test
  void aNewDataDirectoryStartsAnEmptyCanvas(@TempDir Path parent) {
    Path dir = parent.resolve("not-yet-created");
    try (TestServer server = Painting.embedded(dir); WsClient client = server.connect("")) {
      assertThat(client.next("canvas:state").getJsonObject("data").getLong("seq")).isZero();
      assertThat(Painting.paint(client, 0, 10)).allMatch(Painting::acked);
    }
    try (TestServer again = Painting.embedded(dir)) {
      assertThat(again.server().seq()).isEqualTo(10);
    }
  }
}
