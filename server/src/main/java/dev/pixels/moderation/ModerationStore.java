package dev.pixels.moderation;

import dev.pixels.canvas.Region;
import java.util.List;

/**
 * The durable home of region locks, bans and the moderation audit trail, so that they survive a
 * restart. Every write is durable when the call returns.
 *
 * <p>Calls come from the single moderation thread, never from an event loop; implementations may
 * block.
 */
public interface ModerationStore extends AutoCloseable {

  List<Lock> locks();

  /** Saves {@code lock}, replacing any lock on the same rectangle. */
  void saveLock(Lock lock);

  /** Deletes the lock on {@code region}; false if there was none. */
  boolean deleteLock(Region region);

  List<Ban> bans();

  void saveBan(Ban ban);

  /** Deletes the ban {@code id}; false if there was none. */
  boolean deleteBan(String id);

  /** Appends an entry and returns it with its id. */
  AuditEntry audit(AuditEntry entry);

  /** Entries with {@code id < beforeId}, newest first, at most {@code limit}. */
  List<AuditEntry> auditLog(long beforeId, int limit);

  @Override
  void close();
}
