package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History queries of the SQLite store run on a reader connection of their own: they neither wait
 * for the writer nor break when a failed write makes the store replace its writer connection.
 */
class SqliteHistoryReaderTest {

  private static List<PixelChange> batch(long firstSeq, int n) {
    List<PixelChange> changes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long seq = firstSeq + i;
      changes.add(new PixelChange(seq, (int) (seq % 500), (int) (seq / 500 % 500), 1 + (int) (seq % 31), 0,
          "user-" + "x".repeat(40) + seq, 1_000 + seq, Tool.BRUSH));
    }
    return changes;
  }

  private static List<Long> newestSeqs(PixelStore store, int limit) {
    return store.history(HistoryQuery.newest(limit)).stream().map(PixelChange::seq).toList();
  }

  @Test
  void aHistoryQueryIsAnsweredWhileTheWriterIsBusy(@TempDir Path dir) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (SqlitePixelStore store = new SqlitePixelStore(dir)) {
      store.append(batch(1, 100));
      CountDownLatch writerHeld = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      // The writer connection is used under the store's monitor: holding it stands for a long commit.
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        synchronized (store) {
          writerHeld.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }, threads);
      try {
        assertThat(writerHeld.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<List<Long>> query = CompletableFuture.supplyAsync(() -> newestSeqs(store, 3), threads);
        assertThat(query.get(10, TimeUnit.SECONDS)).containsExactly(100L, 99L, 98L);
      } finally {
        release.countDown();
        writer.get(10, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aFailedWriteLeavesHistoryWorkingAndLaterCommitsVisibleToIt(@TempDir Path dir) throws Exception {
    try (SqlitePixelStore store = new SqlitePixelStore(dir)) {
      store.append(batch(1, 500));
      assertThat(newestSeqs(store, 2)).containsExactly(500L, 499L);

      try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery("PRAGMA page_count")) {
        rs.next();
        s.execute("PRAGMA max_page_count=" + rs.getLong(1));
      }
      assertThatThrownBy(() -> store.append(batch(501, 500))).isInstanceOf(StoreException.class);
      assertThat(newestSeqs(store, 2)).as("history after the writer was replaced").containsExactly(500L, 499L);

      store.append(batch(501, 500)); // the replacement writer has no page limit
      assertThat(newestSeqs(store, 2)).as("history sees what the new writer commits").containsExactly(1000L, 999L);
      assertThat(store.isHealthy()).isTrue();
    }
  }
}
