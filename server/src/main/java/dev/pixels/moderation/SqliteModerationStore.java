package dev.pixels.moderation;

import dev.pixels.canvas.Region;
import dev.pixels.storage.StoreException;
import dev.pixels.text.LogText;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Moderation tables in the embedded store's database file, on a connection of their own: SQLite
 * in WAL mode serialises the rare moderation writes with the pixel batches, and the batcher's
 * connection never waits on a moderation query.
 *
 * <p>Concurrency: one connection under this object's monitor; calls come from the moderation thread.
 */
final class SqliteModerationStore implements ModerationStore {
  private final Path databaseFile;
  private final Connection connection;

  SqliteModerationStore(Path databaseFile) {
    this.databaseFile = databaseFile;
    try {
      connection = DriverManager.getConnection("jdbc:sqlite:" + databaseFile);
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("PRAGMA busy_timeout=5000");
        s.execute("""
            CREATE TABLE IF NOT EXISTS region_locks (
              x1 INTEGER NOT NULL, y1 INTEGER NOT NULL, x2 INTEGER NOT NULL, y2 INTEGER NOT NULL,
              reason TEXT, created_by TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER,
              PRIMARY KEY (x1, y1, x2, y2))""");
        s.execute("""
            CREATE TABLE IF NOT EXISTS bans (
              id TEXT PRIMARY KEY, kind TEXT NOT NULL, subject TEXT NOT NULL, reason TEXT,
              created_by TEXT NOT NULL, created_at INTEGER NOT NULL, until INTEGER)""");
        s.execute("""
            CREATE TABLE IF NOT EXISTS moderation_audit (
              id INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL, actor TEXT NOT NULL,
              at INTEGER NOT NULL, params TEXT NOT NULL)""");
      }
    } catch (SQLException e) {
      throw new StoreException("cannot open the moderation tables in " + databaseFile.toAbsolutePath(), e);
    }
  }

  @Override
  public synchronized List<Lock> locks() {
    List<Lock> locks = new ArrayList<>();
    query("SELECT rowid, x1, y1, x2, y2, reason, created_by, created_at, expires_at FROM region_locks ORDER BY created_at",
        rs -> {
          Row row = new Row(rs, "region_locks");
          Region region;
          try {
            region = new Region(row.coordinate("x1"), row.coordinate("y1"), row.coordinate("x2"), row.coordinate("y2"));
          } catch (IllegalArgumentException e) {
            throw row.bad(e.getMessage());
          }
          locks.add(new Lock(region, row.textOrNull("reason"), row.text("created_by"), row.time("created_at"),
              row.timeOrNull("expires_at")));
        });
    return locks;
  }

  @Override
  public synchronized void saveLock(Lock lock) {
    update("INSERT OR REPLACE INTO region_locks VALUES (?,?,?,?,?,?,?,?)", lock.region().x1(), lock.region().y1(),
        lock.region().x2(), lock.region().y2(), lock.reason(), lock.createdBy(), lock.createdAt().toEpochMilli(),
        millisOrNull(lock.expiresAt()));
  }

  @Override
  public synchronized boolean deleteLock(Region region) {
    return update("DELETE FROM region_locks WHERE x1 = ? AND y1 = ? AND x2 = ? AND y2 = ?",
        region.x1(), region.y1(), region.x2(), region.y2()) > 0;
  }

  @Override
  public synchronized List<Ban> bans() {
    List<Ban> bans = new ArrayList<>();
    query("SELECT rowid, id, kind, subject, reason, created_by, created_at, until FROM bans ORDER BY created_at",
        rs -> {
          Row row = new Row(rs, "bans");
          bans.add(new Ban(row.text("id"), row.kind("kind"), row.text("subject"), row.textOrNull("reason"),
              row.text("created_by"), row.time("created_at"), row.timeOrNull("until")));
        });
    return bans;
  }

  @Override
  public synchronized void saveBan(Ban ban) {
    update("INSERT OR REPLACE INTO bans VALUES (?,?,?,?,?,?,?)", ban.id(), ban.kind().name(), ban.subject(),
        ban.reason(), ban.createdBy(), ban.createdAt().toEpochMilli(), millisOrNull(ban.until()));
  }

  @Override
  public synchronized boolean deleteBan(String id) {
    return update("DELETE FROM bans WHERE id = ?", id) > 0;
  }

  @Override
  public synchronized AuditEntry audit(AuditEntry entry) {
    try (PreparedStatement s = connection.prepareStatement(
        "INSERT INTO moderation_audit (action, actor, at, params) VALUES (?,?,?,?)", Statement.RETURN_GENERATED_KEYS)) {
      bind(s, entry.action(), entry.actor(), entry.at().toEpochMilli(), entry.paramsJson());
      s.executeUpdate();
      try (ResultSet keys = s.getGeneratedKeys()) {
        keys.next();
        return new AuditEntry(keys.getLong(1), entry.action(), entry.actor(), entry.at(), entry.paramsJson());
      }
    } catch (SQLException e) {
      throw new StoreException("could not write the moderation audit", e);
    }
  }

  @Override
  public synchronized List<AuditEntry> auditLog(long beforeId, int limit) {
    List<AuditEntry> page = new ArrayList<>();
    query("SELECT id, action, actor, at, params FROM moderation_audit WHERE id < ? ORDER BY id DESC LIMIT ?",
        rs -> page.add(new AuditEntry(rs.getLong(1), rs.getString(2), rs.getString(3),
            Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5))), beforeId, limit);
    return page;
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("could not close the moderation tables", e);
    }
  }

  /**
   * One row of a moderation table being read, whose values are checked against what the server
   * writes: a row edited by hand, or written by something else, stops the start with a message
   * naming it rather than becoming a lock or ban nobody meant (a text time read as 1970).
   */
  private final class Row {
    private static final int MAX_VALUE_SHOWN = 80;
    private final ResultSet rs;
    private final String table;
    private final long rowid;

    Row(ResultSet rs, String table) throws SQLException {
      this.rs = rs;
      this.table = table;
      this.rowid = rs.getLong("rowid");
    }

    int coordinate(String column) throws SQLException {
      long value = integer(column);
      if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
        throw bad(column + " is " + value + ", beyond a pixel coordinate");
      }
      return (int) value;
    }

    Instant time(String column) throws SQLException {
      return Instant.ofEpochMilli(integer(column));
    }

    Instant timeOrNull(String column) throws SQLException {
      return rs.getObject(column) == null ? null : time(column);
    }

    String text(String column) throws SQLException {
      String value = textOrNull(column);
      if (value == null) {
        throw bad(column + " is missing");
      }
      return value;
    }

    String textOrNull(String column) throws SQLException {
      Object value = rs.getObject(column);
      if (value != null && !(value instanceof String)) {
        throw bad(column + " is " + shown(value) + ", not text");
      }
      return (String) value;
    }

    Ban.Kind kind(String column) throws SQLException {
      String value = text(column);
      for (Ban.Kind kind : Ban.Kind.values()) {
        if (kind.name().equals(value)) {
          return kind;
        }
      }
      throw bad(column + " is " + shown(value) + ", not USER or IP");
    }

    private long integer(String column) throws SQLException {
      Object value = rs.getObject(column);
      if (!(value instanceof Integer || value instanceof Long)) {
        throw bad(column + " is " + (value == null ? "missing" : shown(value)) + ", not a whole number");
      }
      return ((Number) value).longValue();
    }

    StoreException bad(String what) {
      return new StoreException("the moderation table " + table + " in " + databaseFile.toAbsolutePath()
          + " has a row the server cannot read (rowid " + rowid + "): " + what
          + "; delete or correct that row, e.g. with the sqlite3 shell while the server is stopped");
    }

    private static String shown(Object value) {
      String text = value instanceof byte[] bytes ? "a blob of " + bytes.length + " bytes" : "'" + value + "'";
      if (text.length() > MAX_VALUE_SHOWN) {
        text = text.substring(0, MAX_VALUE_SHOWN) + "...";
      }
      return LogText.escape(text);
    }
  }

  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  private void query(String sql, RowReader reader, Object... args) {
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      bind(s, args);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          reader.read(rs);
        }
      }
    } catch (SQLException e) {
      throw new StoreException("could not read the moderation tables", e);
    }
  }

  private int update(String sql, Object... args) {
    try (PreparedStatement s = connection.prepareStatement(sql)) {
      bind(s, args);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("could not write the moderation tables", e);
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      if (args[i] == null) {
        s.setNull(i + 1, Types.NULL);
      } else {
        s.setObject(i + 1, args[i]);
      }
    }
  }

  private static Long millisOrNull(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }
}
