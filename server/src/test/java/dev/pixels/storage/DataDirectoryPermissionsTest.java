package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory holds user ids, IP bans and the moderation audit: the server creates it, and
 * every file it writes there, readable by the server's user only.
 */
class DataDirectoryPermissionsTest {

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void aNewDataDirectoryAndEveryFileInItAreOwnerOnly(@TempDir Path parent) throws Exception {
    Path dir = parent.resolve("data");
    try (TestServer server = Painting.embedded(dir); WsClient client = server.connect("")) {
      client.next("canvas:state");
      assertThat(Painting.paint(client, 0, 50)).allMatch(Painting::acked);

      assertThat(mode(dir)).isEqualTo("rwx------");
      assertThat(dir.resolve("pixels.db-wal")).exists();
      assertThat(dir.resolve("pixels.db-shm")).exists();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.toList()) {
          assertThat(mode(file)).as(file.getFileName().toString()).isEqualTo("rw-------");
        }
      }
    }
  }

  @Test
  void aDatabaseLeftReadableByOthersIsMadeOwnerOnlyAtStart(@TempDir Path dir) throws Exception {
    try (TestServer server = Painting.embedded(dir)) {
      assertThat(server.server().seq()).isZero();
    }
    Files.setPosixFilePermissions(dir.resolve("pixels.db"), PosixFilePermissions.fromString("rw-r--r--"));
    try (TestServer server = Painting.embedded(dir); WsClient client = server.connect("")) {
      client.next("canvas:state");
      assertThat(Painting.paint(client, 0, 5)).allMatch(Painting::acked);
      for (String name : new String[] {"pixels.db", "pixels.db-wal", "pixels.db-shm"}) {
        assertThat(mode(dir.resolve(name))).as(name).isEqualTo("rw-------");
      }
    }
  }
}
