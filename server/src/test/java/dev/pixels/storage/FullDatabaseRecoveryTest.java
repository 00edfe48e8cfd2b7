package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full database ({@code SQLITE_FULL}, here from SQLite's {@code max_page_count}, which fails the
 * same way a full disk does) rejects whole batches, stores none of their pixels, and accepts the
 * same seqs again once there is room, without a restart.
 */
class FullDatabaseRecoveryTest {

  private static List<PixelChange> batch(long firstSeq, int n) {
    List<PixelChange> changes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long seq = firstSeq + i;
      changes.add(new PixelChange(seq, (int) (seq % 500), (int) (seq / 500 % 500), 1 + (int) (seq % 31), 0,
          "user-" + "x".repeat(40) + seq, 1_000 + seq, Tool.BRUSH));
    }
    return changes;
  }

  /** Caps the database at its current size, on the connection the store uses right now. */
  private static void fill(SqlitePixelStore store) throws SQLException {
    try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery("PRAGMA page_count")) {
      rs.next();
      s.execute("PRAGMA max_page_count=" + rs.getLong(1));
    }
  }

  private static void makeRoom(SqlitePixelStore store) throws SQLException {
    try (Statement s = store.connection().createStatement()) {
      s.execute("PRAGMA max_page_count=1073741823");
    }
  }

  private static List<PixelChange> stored(PixelStore store) {
    List<PixelChange> all = new ArrayList<>();
    store.replay(0, all::add);
    return all;
  }

  @Test
  void aFullDatabaseRejectsBatchesWithoutStoringAnyAndAcceptsThemOnceThereIsRoom(@TempDir Path dir) throws Exception {
    try (SqlitePixelStore store = new SqlitePixelStore(dir)) {
      List<PixelChange> first = batch(1, 500);
      store.append(first);

      fill(store);
      // The batcher retries the seqs of a rejected batch with the next pixels, so each attempt reuses them.
      for (int attempt = 0; attempt < 3; attempt++) {
        assertThatThrownBy(() -> store.append(batch(501, 500))).isInstanceOf(StoreException.class);
        assertThat(stored(store)).as("after failed attempt %d", attempt).isEqualTo(first);
        fill(store);
      }

      makeRoom(store);
      List<PixelChange> second = batch(501, 500);
      store.append(second);
      List<PixelChange> expected = new ArrayList<>(first);
      expected.addAll(second);
      assertThat(stored(store)).isEqualTo(expected);
    }
    try (SqlitePixelStore reopened = new SqlitePixelStore(dir)) {
      assertThat(stored(reopened)).hasSize(1000).extracting(PixelChange::seq)
          .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 1000).boxed().toList());
    }
  }

  @Test
  void aFailedCommitMakesTheStoreUnhealthyUntilAWriteSucceedsAgain(@TempDir Path dir) throws Exception {
    try (SqlitePixelStore store = new SqlitePixelStore(dir)) {
      store.append(batch(1, 200));
      assertThat(store.isHealthy()).isTrue();

      fill(store);
      assertThatThrownBy(() -> store.append(batch(201, 500))).isInstanceOf(StoreException.class);
      fill(store);
      assertThat(store.isHealthy()).as("while the database is full").isFalse();
      fill(store);
      assertThat(store.isHealthy()).as("still full").isFalse();

      makeRoom(store);
      assertThat(store.isHealthy()).as("once there is room, without any pixel").isTrue();
      store.append(batch(201, 500));
      assertThat(store.isHealthy()).isTrue();
      assertThat(stored(store)).hasSize(700);
    }
  }
}
