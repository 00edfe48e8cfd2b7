package dev.pixels.storage;

import dev.pixels.canvas.PixelChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * The embedded store's database opened read-only, for tools that read the history of a data
 * directory offline (the timelapse command), whether or not a server holds it.
 *
 * <p>It takes no lock on the directory and writes nothing: SQLite opens {@code pixels.db} with
 * {@code SQLITE_OPEN_READONLY} and {@code query_only}, and in WAL mode a reader sees a consistent
 * snapshot per query while a server goes on committing, without making that server wait. Writing
 * methods throw.
 *
 * <p>Concurrency: every method is {@code synchronized}; the tools call it from one thread.
 */
final class ReadOnlySqliteStore implements PixelStore {
  private final Path databaseFile;
  private Connection connection;

  ReadOnlySqliteStore(Path dataDir) {
    databaseFile = PixelStores.sqliteFile(dataDir);
    if (!Files.isRegularFile(databaseFile)) {
      throw new StoreException(databaseFile + " does not exist: is " + dataDir + " a Pixels DATA_DIR?");
    }
    try {
      Properties props = new Properties();
      props.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + databaseFile, props);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("PRAGMA query_only=1");
        s.executeQuery("SELECT count(*) FROM pixel_log").close();
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      connection = c;
    } catch (SQLException e) {
      throw new StoreException("cannot open " + databaseFile + " read-only: " + e.getMessage(), e);
    }
  }

  @Override
  public String name() {
    return "sqlite-read-only";
  }

  @Override
  public void append(List<PixelChange> batch) {
    throw new StoreException("the store is open read-only");
  }

  @Override
  public synchronized void replay(long afterSeq, Consumer<PixelChange> sink) {
    throw new StoreException("the read-only store serves history pages, not replay");
  }

  @Override
  public synchronized List<PixelChange> history(HistoryQuery query) {
    try {
      return SqlitePixelStore.history(connection, query);
    } catch (SQLException e) {
      throw new StoreException("could not query the pixel log: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized List<PixelChange> logAfter(long afterSeq, int limit) {
    try {
      return SqlitePixelStore.logAfter(connection, afterSeq, limit);
    } catch (SQLException e) {
      throw new StoreException("could not read the pixel log after seq " + afterSeq + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized Optional<Checkpoint> latestCheckpoint() {
    try {
      return SqlitePixelStore.latestCheckpoint(connection);
    } catch (SQLException e) {
      throw new StoreException("could not read the latest checkpoint: " + e.getMessage(), e);
    }
  }

  @Override
  public void saveCheckpoint(Checkpoint checkpoint) {
    throw new StoreException("the store is open read-only");
  }

  @Override
  public boolean isHealthy() {
    return true;
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("could not close " + databaseFile, e);
    }
  }
}
