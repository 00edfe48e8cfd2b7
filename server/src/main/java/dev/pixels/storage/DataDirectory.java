package dev.pixels.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded store's data directory, held by one server for its whole life.
 *
 * <p>Holding it means an exclusive lock on {@code DATA_DIR/.lock}: a second server on the same
 * directory would write the same seqs into the same log, so it is refused at start instead. The OS
 * releases the lock when the process ends, however it ends, so a stale lock file blocks nothing.
 *
 * <p>The directory and the files the server creates in it are readable only by the server's user:
 * they hold user ids, IP bans and the moderation audit.
 *
 * <p>Opening also records which of the server's files were already there, before anything was
 * created: a directory that held them has been used, and an empty or missing database in it means
 * a canvas was lost, not that one is about to begin.
 */
final class DataDirectory implements AutoCloseable {
  static final String LOCK_FILE = ".lock";
  /** Files the server writes, whose presence shows the directory has held a canvas before. */
  private static final List<String> TRACES =
      List.of(LOCK_FILE, "session-secret", "admin-token", "pixels.db-wal", "pixels.db-shm");
  /**
   * Directories locked by this process. The lock of a second channel in the same process would
   * throw rather than fail, and closing that channel would drop the first one's lock at the OS, so
   * a directory held here is refused before its lock file is touched.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path dir;
  private final Path key;
  private final FileChannel channel;
  private final List<String> traces;

  private DataDirectory(Path dir, Path key, FileChannel channel, List<String> traces) {
    this.dir = dir;
    this.key = key;
    this.channel = channel;
    this.traces = traces;
  }

  /**
   * Creates {@code dir} if missing (0700) and locks it.
   *
   * @throws StoreException if another server holds it, or it cannot be created or locked
   */
  static DataDirectory lock(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    try {
      if (!Files.isDirectory(absolute)) {
        createOwnerOnly(absolute);
      }
      Path key = absolute.toRealPath();
      if (!HELD.add(key)) {
        throw inUse(absolute);
      }
      try {
        List<String> traces = new ArrayList<>();
        for (String name : TRACES) {
          if (Files.exists(absolute.resolve(name))) {
            traces.add(name);
          }
        }
        FileChannel channel = openLockFile(absolute.resolve(LOCK_FILE));
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
          channel.close();
          throw e;
        }
        if (lock == null) {
          channel.close();
          throw inUse(absolute);
        }
        return new DataDirectory(absolute, key, channel, List.copyOf(traces));
      } catch (IOException | RuntimeException e) {
        HELD.remove(key);
        throw e;
      }
    } catch (IOException e) {
      throw new StoreException("cannot create or lock DATA_DIR " + absolute + ": " + e.getMessage()
          + "; check that the server's user may write there", e);
    }
  }

  private static StoreException inUse(Path dir) {
    return new StoreException("DATA_DIR " + dir + " is in use by another Pixels server (it holds " + dir.resolve(LOCK_FILE)
        + "); stop that server first, or give this one a DATA_DIR of its own");
  }

  private static void createOwnerOnly(Path dir) throws IOException {
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }

  private static FileChannel openLockFile(Path file) throws IOException {
    try {
      return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), ownerOnly());
    } catch (UnsupportedOperationException e) {
      return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }
  }

  /** The directory, absolute. */
  Path path() {
    return dir;
  }

  /** The server's files that were in the directory before this server opened it; empty if it is new. */
  List<String> traces() {
    return traces;
  }

  /**
   * Creates an empty file readable only by the server's user; SQLite gives the files it creates
   * beside a database (WAL, shared memory) the database file's mode.
   */
  static void createOwnerOnlyFile(Path file) throws IOException {
    try {
      Files.createFile(file, ownerOnly());
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      restrictToOwner(file);
    }
  }

  /** Makes an existing file readable only by the server's user, where the file system has POSIX modes. */
  static void restrictToOwner(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // No POSIX modes on this file system (e.g. Windows): access follows the directory's ACL.
      return;
    }
  }

  private static FileAttribute<Set<PosixFilePermission>> ownerOnly() {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  }

  /** Releases the lock; the lock file stays, empty, for the next server. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new StoreException("could not release the lock on DATA_DIR " + dir, e);
    } finally {
      HELD.remove(key);
    }
  }
}
