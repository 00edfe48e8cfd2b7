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
 * <p>Opening refuses, rather than starting a canvas that silently lacks acknowledged pixels: a data
 * directory held by another server ({@link DataDirectory}); a database that is missing or empty in
 * a directory that was used before; a database without the pixel log; and a database that fails
 * SQLite's integrity check. Nothing is written before these checks pass.
 *
 * <p>Failures: after a failed write the connection is replaced. SQLite rolls a transaction back by
 * itself on some errors (a full disk, I/O errors), after which the driver's idea of the transaction
 * is wrong and the next batch's inserts would commit one by one; a new connection starts from a
 * known state, and the failed batch left nothing behind. {@link #isHealthy} stays false from a
 * failed write until a write succeeds again, and probes with a small write of its own meanwhile.
 *
 * <p>Concurrency rules:
 *
 * <ul>
 *   <li>Two JDBC connections to the same file. The writer connection serves {@link #append},
 *       {@link #saveCheckpoint}, {@link #latestCheckpoint}, {@link #replay} (start-up only) and
 *       {@link #isHealthy}, always under this object's monitor. Appends come from the single
 *       batcher thread and checkpoints from the checkpoint thread, so contention there is rare.
 *   <li>The reader connection serves {@link #history} (the audit trail, rollback and rewind scans,
 *       {@code ?at=}) and {@link #logAfter} (history points and exports) under {@code readerLock}, never under the monitor. It is {@code query_only}
 *       and in autocommit mode, so each query reads one WAL snapshot and holds no lock a writer
 *       waits for: a history scan of any length does not delay the next commit, and it sees
 *       exactly the batches committed when it started.
 *   <li>Each connection is replaced only by the thread holding its own lock, after a failure on
 *       it: a failed write replaces the writer and leaves a running history query alone, and a
 *       failed query replaces the reader and leaves the writer alone. {@link #close} takes the
 *       monitor, then {@code readerLock} (the only order in which both are held), so it waits for
 *       a running query instead of closing its connection under it.
 * </ul>
 */
final class SqlitePixelStore implements PixelStore {
  /**
   * Databases up to this size get SQLite's full {@code integrity_check} at start, which also
   * checks every index against its table (measured: about 40 ms per MiB, so at most about 3 s);
   * larger ones the {@code quick_check}, which checks every page's structure (about 2.5 ms per MiB).
   */
  static final long FULL_INTEGRITY_CHECK_LIMIT_BYTES = 64L * 1024 * 1024;
  private static final String INSERT_PIXEL =
      "INSERT INTO pixel_log (seq, x, y, color, previous_color, user_id, ts, tool) VALUES (?,?,?,?,?,?,?,?)";
  /** Bytes the health probe writes while writes are failing: enough to need fresh pages. */
  private static final int PROBE_BYTES = 64 * 1024;

  private final DataDirectory directory;
  private final Path databaseFile;
  private Connection connection; // null after a failed reopen; the next call opens it again
  private PreparedStatement insertPixel;
  private boolean writesFailing;
  private final Object readerLock = new Object();
  private Connection reader; // guarded by readerLock; opened by the first history query, null after a failure
  private boolean readerRetired; // guarded by readerLock; set by close, after which no reader opens

  SqlitePixelStore(Path dataDir) {
    directory = DataDirectory.lock(dataDir);
    databaseFile = PixelStores.sqliteFile(directory.path());
    try {
      boolean fresh = prepareDatabaseFile();
      Connection c = DriverManager.getConnection(url());
      try {
        if (!fresh) {
          verify(c);
        }
        configure(c);
        createSchema(c);
        c.setAutoCommit(false);
        insertPixel = c.prepareStatement(INSERT_PIXEL);
      } catch (SQLException | RuntimeException e) {
        closeAfter(c, e);
        throw e;
      }
      connection = c;
    } catch (SQLException | IOException | RuntimeException e) {
      try {
        directory.close();
      } catch (RuntimeException unlockFailure) {
        e.addSuppressed(unlockFailure);
      }
      if (e instanceof StoreException refusal) {
        throw refusal;
      }
      throw new StoreException("cannot open the SQLite store " + databaseFile + ": " + e.getMessage(), e);
    }
  }

  private String url() {
    return "jdbc:sqlite:" + databaseFile;
  }

  /**
   * Refuses a missing or empty database in a directory that was used before; creates the file
   * owner-only in a new one, and makes existing files owner-only. True if the database is new.
   */
  private boolean prepareDatabaseFile() throws IOException {
    boolean exists = Files.exists(databaseFile);
    boolean empty = !exists || Files.size(databaseFile) == 0;
    if (empty && !directory.traces().isEmpty()) {
      throw new StoreException(databaseFile + (exists ? " is empty (0 bytes)" : " is missing") + " but DATA_DIR "
          + directory.path() + " has been used before (it holds " + String.join(", ", directory.traces())
          + "): the canvas and its pixel log are gone, and starting would begin an empty canvas. Restore pixels.db "
          + "from a backup; to start an empty canvas on purpose, move DATA_DIR aside and start with an empty one");
    }
    if (!exists) {
      DataDirectory.createOwnerOnlyFile(databaseFile);
      return true;
    }
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Path file = databaseFile.resolveSibling(databaseFile.getFileName() + suffix);
      if (Files.exists(file)) {
        DataDirectory.restrictToOwner(file);
      }
    }
    return empty;
  }

  /** Refuses a database without the pixel log, or one that fails SQLite's integrity check. */
  private void verify(Connection c) {
    String check = "read";
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'pixel_log'")) {
        if (!rs.next() || rs.getInt(1) == 0) {
          throw new StoreException(databaseFile + " holds no pixel log: it is not a Pixels database, or its schema "
              + "was lost. Restore pixels.db from a backup, or point DATA_DIR at the right directory");
        }
      }
      check = Files.size(databaseFile) <= FULL_INTEGRITY_CHECK_LIMIT_BYTES ? "integrity_check" : "quick_check";
      try (ResultSet rs = s.executeQuery("PRAGMA " + check + "(1)")) {
        String result = rs.next() ? rs.getString(1) : "no result";
        if (!"ok".equals(result)) {
          throw corrupt(check + " found: " + result, null);
        }
      }
    } catch (SQLException | IOException e) {
      throw corrupt("SQLite failed to " + check + " it: " + e.getMessage(), e);
    }
  }

  private StoreException corrupt(String detail, Exception cause) {
    return new StoreException(databaseFile + " is damaged (" + detail.replace('\n', ' ') + "). Stop here: restore "
        + "pixels.db from a backup, or salvage what is readable with `sqlite3 pixels.db .recover` (see "
        + "docs/operations.md)", cause);
  }

  private static void configure(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=FULL");
      s.execute("PRAGMA busy_timeout=5000");
    }
  }

  private static void createSchema(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
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
      // Written and emptied by the health probe while writes fail; empty otherwise.
      s.execute("CREATE TABLE IF NOT EXISTS store_probe (id INTEGER PRIMARY KEY, data BLOB NOT NULL)");
      // For the audit log and the repair tools: by user, by pixel, and by time.
      s.execute("CREATE INDEX IF NOT EXISTS pixel_log_user ON pixel_log (user_id, seq)");
      s.execute("CREATE INDEX IF NOT EXISTS pixel_log_xy ON pixel_log (x, y, seq)");
      s.execute("CREATE INDEX IF NOT EXISTS pixel_log_ts ON pixel_log (ts)");
    }
  }

  /** The connection in use, or opens a new one after a failure closed it. */
  private Connection open() throws SQLException {
    if (connection == null) {
      Connection c = DriverManager.getConnection(url());
      try {
        configure(c);
        c.setAutoCommit(false);
        insertPixel = c.prepareStatement(INSERT_PIXEL);
      } catch (SQLException | RuntimeException e) {
        closeAfter(c, e);
        throw e;
      }
      connection = c;
    }
    return connection;
  }

  /**
   * Replaces the connection after {@code cause}: closing it rolls back whatever the failed call
   * left open, and the next call starts on a new one. A failure to reopen is kept for that call.
   */
  private void discardConnection(Exception cause) {
    if (connection != null) {
      closeAfter(connection, cause);
    }
    connection = null;
    insertPixel = null;
    try {
      open();
    } catch (SQLException reopenFailure) {
      cause.addSuppressed(reopenFailure);
    }
  }

  private static void closeAfter(Connection c, Exception cause) {
    try {
      c.close();
    } catch (SQLException closeFailure) {
      cause.addSuppressed(closeFailure);
    }
  }

  /** The JDBC connection in use (null right after a failed reopen); tests reach SQLite settings through it. */
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
      Connection c = open();
      for (PixelChange change : batch) {
        insertPixel.setLong(1, change.seq());
        insertPixel.setInt(2, change.x());
        insertPixel.setInt(3, change.y());
        insertPixel.setInt(4, change.color());
        insertPixel.setInt(5, change.previousColor());
        insertPixel.setString(6, change.userId());
        insertPixel.setLong(7, change.timestampMillis());
        insertPixel.setString(8, change.tool().wireName());
        insertPixel.addBatch();
      }
      insertPixel.executeBatch();
      c.commit();
      writesFailing = false;
    } catch (SQLException e) {
      writesFailing = true;
      discardConnection(e);
      throw new StoreException("could not commit a batch of " + batch.size() + " pixels", e);
    }
  }

  @Override
  public synchronized void replay(long afterSeq, Consumer<PixelChange> sink) {
    try (PreparedStatement q =
        open().prepareStatement(
            "SELECT seq, x, y, color, previous_color, user_id, ts, tool FROM pixel_log WHERE seq > ? ORDER BY seq")) {
      q.setLong(1, afterSeq);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          sink.accept(readChange(rs));
        }
      }
      connection.commit();
    } catch (SQLException e) {
      discardConnection(e);
      throw new StoreException("could not read the pixel log after seq " + afterSeq, e);
    }
  }

  @Override
  public List<PixelChange> logAfter(long afterSeq, int limit) {
    return onReader(c -> logAfter(c, afterSeq, limit), "could not read the pixel log after seq " + afterSeq);
  }

  /** One page of {@link #logAfter} read on {@code c}; shared with the read-only store. */
  static List<PixelChange> logAfter(Connection c, long afterSeq, int limit) throws SQLException {
    return read(c, "SELECT seq, x, y, color, previous_color, user_id, ts, tool FROM pixel_log WHERE seq > ?"
        + " ORDER BY seq LIMIT ?", List.of(afterSeq, limit));
  }

  @Override
  public List<PixelChange> history(HistoryQuery query) {
    return onReader(c -> history(c, query), "could not query the pixel log");
  }

  /** One page of {@link #history} read on {@code c}; shared with the read-only store. */
  static List<PixelChange> history(Connection c, HistoryQuery query) throws SQLException {
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
    return read(c, sql.toString(), args);
  }

  /** A read of the log on some connection. */
  private interface LogRead {
    List<PixelChange> on(Connection c) throws SQLException;
  }

  /** Runs {@code read} on the reader connection, discarding that connection if it fails. */
  private List<PixelChange> onReader(LogRead read, String failure) {
    synchronized (readerLock) {
      try {
        return read.on(openReader());
      } catch (SQLException e) {
        discardReader(e);
        throw new StoreException(failure, e);
      }
    }
  }

  /** The changes {@code sql} selects with {@code args} on {@code c}. */
  private static List<PixelChange> read(Connection c, String sql, List<Object> args) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        q.setObject(i + 1, args.get(i));
      }
      List<PixelChange> page = new ArrayList<>();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          page.add(readChange(rs));
        }
      }
      return page;
    }
  }

  /** The reader connection, opened on first use or after a failure closed it; holds readerLock. */
  private Connection openReader() throws SQLException {
    if (readerRetired) {
      throw new SQLException("the store is closed");
    }
    if (reader == null) {
      Connection c = DriverManager.getConnection(url());
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("PRAGMA query_only=1");
      } catch (SQLException | RuntimeException e) {
        closeAfter(c, e);
        throw e;
      }
      reader = c;
    }
    return reader;
  }

  /** Closes the reader once no query runs on it, for good: the store is closing. */
  private void closeReader() throws SQLException {
    synchronized (readerLock) {
      readerRetired = true;
      Connection r = reader;
      reader = null;
      if (r != null) {
        r.close();
      }
    }
  }

  /** Closes the reader after {@code cause}; the next history query opens a new one. Holds readerLock. */
  private void discardReader(Exception cause) {
    if (reader != null) {
      closeAfter(reader, cause);
    }
    reader = null;
  }

  private static PixelChange readChange(ResultSet rs) throws SQLException {
    return new PixelChange(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
        rs.getString(6), rs.getLong(7), Tool.fromWire(rs.getString(8)));
  }

  @Override
  public synchronized Optional<Checkpoint> latestCheckpoint() {
    try {
      Optional<Checkpoint> result = latestCheckpoint(open());
      connection.commit();
      return result;
    } catch (SQLException e) {
      discardConnection(e);
      throw new StoreException("could not read the latest checkpoint", e);
    }
  }

  /** The newest checkpoint read on {@code c}; shared with the read-only store. */
  static Optional<Checkpoint> latestCheckpoint(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT seq, width, height, data FROM checkpoints ORDER BY seq DESC LIMIT 1")) {
      if (!rs.next()) {
        return Optional.empty();
      }
      int width = rs.getInt(2);
      int height = rs.getInt(3);
      return Optional.of(new Checkpoint(rs.getLong(1), width, height, inflate(rs.getBytes(4), width * height)));
    }
  }

  @Override
  public synchronized void saveCheckpoint(Checkpoint checkpoint) {
    try (PreparedStatement insert =
            open().prepareStatement(
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
      writesFailing = false;
    } catch (SQLException e) {
      writesFailing = true;
      discardConnection(e);
      throw new StoreException("could not save the checkpoint at seq " + checkpoint.seq(), e);
    }
  }

  /**
   * True if the store answers and writes are succeeding. After a failed write it stays false until
   * a write succeeds; each call then tries a small write of its own, so the store turns healthy
   * again once space (or the disk) is back, even if no pixel arrives to prove it.
   */
  @Override
  public synchronized boolean isHealthy() {
    try {
      Connection c = open();
      if (writesFailing) {
        try (PreparedStatement probe = c.prepareStatement("INSERT OR REPLACE INTO store_probe (id, data) VALUES (1, ?)");
            Statement s = c.createStatement()) {
          probe.setBytes(1, new byte[PROBE_BYTES]);
          probe.executeUpdate();
          c.commit();
          s.executeUpdate("DELETE FROM store_probe");
          c.commit();
        }
        writesFailing = false;
        return true;
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
        boolean ok = rs.next();
        c.commit();
        return ok;
      }
    } catch (SQLException e) {
      discardConnection(e);
      return false;
    }
  }

  @Override
  public synchronized void close() {
    try {
      try {
        closeReader();
      } finally {
        if (connection != null) {
          connection.close();
        }
      }
    } catch (SQLException e) {
      throw new StoreException("could not close the SQLite store", e);
    } finally {
      connection = null;
      directory.close();
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
