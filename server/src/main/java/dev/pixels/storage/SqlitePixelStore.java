package dev.pixels.storage;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The embedded store: one SQLite database file, {@code pixels.db}, under the data directory.
 *
 * <p>Durability: the database runs in WAL mode with {@code synchronous=FULL}, so a committed
 * transaction has been fsynced before {@link #append} returns; a {@code kill -9} or a power cut
 * after that cannot take it back. Each batch is one transaction (group commit), which is what makes
 * an fsync per batch affordable.
 *
 * <p>Concurrency: one JDBC connection, used under this object's monitor. Appends come from the
 * single batcher thread and checkpoints from the checkpoint thread, so contention is rare.
 */
final class SqlitePixelStore implements PixelStore {
  private final Connection connection;
  private final PreparedStatement insertPixel;

  SqlitePixelStore(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      connection = DriverManager.getConnection("jdbc:sqlite:" + PixelStores.sqliteFile(dataDir));
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute(
            """
            CREATE TABLE IF NOT EXISTS pixel_log (
              seq INTEGER PRIMARY KEY,
              x INTEGER NOT NULL,
              y INTEGER NOT NULL,
              color INTEGER NOT NULL,
              previous_color INTEGER NOT NULL,
              user_id TEXT NOT NULL,
              ts INTEGER NOT NULL,
              tool TEXT NOT NULL)""");
        s.execute(
            """
            CREATE TABLE IF NOT EXISTS checkpoints (
              seq INTEGER PRIMARY KEY,
              width INTEGER NOT NULL,
              height INTEGER NOT NULL,
              data BLOB NOT NULL,
              created_at INTEGER NOT NULL)""");
        // For the audit log and the repair tools: by user, by pixel, and by time.
        s.execute("CREATE INDEX IF NOT EXISTS pixel_log_user ON pixel_log (user_id, seq)");
        s.execute("CREATE INDEX IF NOT EXISTS pixel_log_xy ON pixel_log (x, y, seq)");
        s.execute("CREATE INDEX IF NOT EXISTS pixel_log_ts ON pixel_log (ts)");
      }
      connection.setAutoCommit(false);
      insertPixel =
          connection.prepareStatement(
              "INSERT INTO pixel_log (seq, x, y, color, previous_color, user_id, ts, tool) VALUES (?,?,?,?,?,?,?,?)");
    } catch (SQLException | IOException e) {
      throw new StoreException("cannot open the SQLite store in " + dataDir.toAbsolutePath(), e);
    }
  }

  /** The JDBC connection, for features that keep their own tables in the same database file. */
  Connection connection() {
    return connection;
  }

  @Override
  public String name() {
    return "sqlite";
  }

  @Override
  public synchronized void append(List<PixelChange> batch) {
    try {
      for (PixelChange c : batch) {
        insertPixel.setLong(1, c.seq());
        insertPixel.setInt(2, c.x());
        insertPixel.setInt(3, c.y());
        insertPixel.setInt(4, c.color());
        insertPixel.setInt(5, c.previousColor());
        insertPixel.setString(6, c.userId());
        insertPixel.setLong(7, c.timestampMillis());
        insertPixel.setString(8, c.tool().wireName());
        insertPixel.addBatch();
      }
      insertPixel.executeBatch();
      connection.commit();
    } catch (SQLException e) {
      rollbackQuietly(e);
      throw new StoreException("could not commit a batch of " + batch.size() + " pixels", e);
    }
  }

  private void rollbackQuietly(SQLException cause) {
    try {
      insertPixel.clearBatch();
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }

  @Override
  public synchronized void replay(long afterSeq, Consumer<PixelChange> sink) {
    try (PreparedStatement q =
        connection.prepareStatement(
            "SELECT seq, x, y, color, previous_color, user_id, ts, tool FROM pixel_log WHERE seq > ? ORDER BY seq")) {
      q.setLong(1, afterSeq);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          sink.accept(readChange(rs));
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw new StoreException("could not read the pixel log after seq " + afterSeq, e);
    }
  }

  @Override
  public synchronized List<PixelChange> history(HistoryQuery query) {
    StringBuilder sql = new StringBuilder(
        "SELECT seq, x, y, color, previous_color, user_id, ts, tool FROM pixel_log WHERE seq < ?");
    List<Object> args = new ArrayList<>();
    args.add(query.beforeSeq());
    if (query.userId() != null) {
      sql.append(" AND user_id = ?");
      args.add(query.userId());
    }
    if (query.region() != null) {
      sql.append(" AND x BETWEEN ? AND ? AND y BETWEEN ? AND ?");
      args.addAll(List.of(query.region().x1(), query.region().x2(), query.region().y1(), query.region().y2()));
    }
    if (query.sinceMillis() != Long.MIN_VALUE) {
      sql.append(" AND ts >= ?");
      args.add(query.sinceMillis());
    }
    if (query.untilMillis() != Long.MAX_VALUE) {
      sql.append(" AND ts <= ?");
      args.add(query.untilMillis());
    }
    sql.append(" ORDER BY seq DESC LIMIT ?");
    args.add(query.limit());
    try (PreparedStatement q = connection.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        q.setObject(i + 1, args.get(i));
      }
      List<PixelChange> page = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          page.add(readChange(rs));
        }
      }
      connection.commit();
      return page;
    } catch (SQLException e) {
      throw new StoreException("could not query the pixel log", e);
    }
  }

  private static PixelChange readChange(ResultSet rs) throws SQLException {
    return new PixelChange(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
        rs.getString(6), rs.getLong(7), Tool.fromWire(rs.getString(8)));
  }

  @Override
  public synchronized Optional<Checkpoint> latestCheckpoint() {
    try (Statement s = connection.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT seq, width, height, data FROM checkpoints ORDER BY seq DESC LIMIT 1")) {
      Optional<Checkpoint> result = Optional.empty();
      if (rs.next()) {
        int width = rs.getInt(2);
        int height = rs.getInt(3);
        result = Optional.of(new Checkpoint(rs.getLong(1), width, height, inflate(rs.getBytes(4), width * height)));
      }
      connection.commit();
      return result;
    } catch (SQLException e) {
      throw new StoreException("could not read the latest checkpoint", e);
    }
  }

  @Override
  public synchronized void saveCheckpoint(Checkpoint checkpoint) {
    try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT OR REPLACE INTO checkpoints (seq, width, height, data, created_at) VALUES (?,?,?,?,?)");
        PreparedStatement prune = connection.prepareStatement("DELETE FROM checkpoints WHERE seq < ?")) {
      insert.setLong(1, checkpoint.seq());
      insert.setInt(2, checkpoint.width());
      insert.setInt(3, checkpoint.height());
      insert.setBytes(4, deflate(checkpoint.pixels()));
      insert.setLong(5, System.currentTimeMillis());
      insert.executeUpdate();
      prune.setLong(1, checkpoint.seq());
      prune.executeUpdate();
      connection.commit();
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw new StoreException("could not save the checkpoint at seq " + checkpoint.seq(), e);
    }
  }

  @Override
  public synchronized boolean isHealthy() {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
      boolean ok = rs.next();
      connection.commit();
      return ok;
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("could not close the SQLite store", e);
    }
  }

  static byte[] deflate(byte[] raw) {
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    try {
      deflater.setInput(raw);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, raw.length / 8));
      byte[] chunk = new byte[64 * 1024];
      while (!deflater.finished()) {
        out.write(chunk, 0, deflater.deflate(chunk));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  static byte[] inflate(byte[] compressed, int size) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(compressed);
      byte[] out = new byte[size];
      int n = 0;
      while (n < size && !inflater.finished()) {
        int read = inflater.inflate(out, n, size - n);
        if (read == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        n += read;
      }
      if (n != size) {
        throw new StoreException("checkpoint holds " + n + " bytes; expected " + size);
      }
      return out;
    } catch (DataFormatException e) {
      throw new StoreException("checkpoint data is corrupt", e);
    } finally {
      inflater.end();
    }
  }
}
