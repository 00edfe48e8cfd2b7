package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database damaged in the middle is refused at start, naming the file, instead of starting
 * healthy and then failing the batches that touch the damaged pages.
 */
class CorruptDatabaseRefusalTest {
  private static final int PAGE_SIZE = 4096;

  @Test
  void aDatabaseWithAGarbledMiddlePageIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    try (TestServer server = Painting.embedded(dir); WsClient client = server.connect("")) {
      client.next("canvas:state");
      for (int round = 0; round < 5; round++) {
        assertThat(Painting.paint(client, round * 800, 800)).allMatch(Painting::acked);
      }
    }
    Path db = dir.resolve("pixels.db");
    long pages = Files.size(db) / PAGE_SIZE;
    assertThat(pages).as("pages in the database").isGreaterThan(20);
    byte[] garbage = new byte[PAGE_SIZE];
    new Random(42).nextBytes(garbage);
    try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
      file.seek(pages / 2 * PAGE_SIZE);
      file.write(garbage);
    }
    byte[] damaged = Files.readAllBytes(db);

    assertThatThrownBy(() -> Painting.embedded(dir))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(db.toAbsolutePath().toString())
        .hasMessageContaining("is damaged")
        .hasMessageContaining("restore pixels.db from a backup");
    assertThat(Files.readAllBytes(db)).as("the refused database is left as it was").isEqualTo(damaged);
  }

  @Test
  void aDatabaseCutShortIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    try (TestServer server = Painting.embedded(dir); WsClient client = server.connect("")) {
      client.next("canvas:state");
      assertThat(Painting.paint(client, 0, 2000)).allMatch(Painting::acked);
    }
    Path db = dir.resolve("pixels.db");
    try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
      file.setLength(Files.size(db) / PAGE_SIZE / 2 * PAGE_SIZE);
    }

    assertThatThrownBy(() -> Painting.embedded(dir))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(db.toAbsolutePath().toString())
        .hasMessageContaining("is damaged");
  }

  @Test
  void aFileThatIsNotADatabaseIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path db = dir.resolve("pixels.db");
    byte[] garbage = new byte[64 * 1024];
    new Random(7).nextBytes(garbage);
    Files.write(db, garbage);

    assertThatThrownBy(() -> Painting.embedded(dir))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(db.toAbsolutePath().toString())
        .hasMessageContaining("is damaged");
    assertThat(Files.readAllBytes(db)).isEqualTo(garbage);
  }
}
