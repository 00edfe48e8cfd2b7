package dev.pixels.moderation;

import dev.pixels.canvas.Region;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps moderation state on the heap only; for STORAGE=memory. Every method is synchronized. */
final class MemoryModerationStore implements ModerationStore {
  private final Map<Region, Lock> locks = new LinkedHashMap<>();
  private final Map<String, Ban> bans = new LinkedHashMap<>();
  private final List<AuditEntry> audit = new ArrayList<>();

  @Override
  public synchronized List<Lock> locks() {
    return List.copyOf(locks.values());
  }

  @Override
  public synchronized void saveLock(Lock lock) {
    locks.remove(lock.region());
    locks.put(lock.region(), lock);
  }

  @Override
  public synchronized boolean deleteLock(Region region) {
    return locks.remove(region) != null;
  }

  @Override
  public synchronized List<Ban> bans() {
    return List.copyOf(bans.values());
  }

  @Override
  public synchronized void saveBan(Ban ban) {
    bans.put(ban.id(), ban);
  }

  @Override
  public synchronized boolean deleteBan(String id) {
    return bans.remove(id) != null;
  }

  @Override
  public synchronized AuditEntry audit(AuditEntry entry) {
    AuditEntry stored = new AuditEntry(audit.size() + 1L, entry.action(), entry.actor(), entry.at(), entry.paramsJson());
    audit.add(stored);
    return stored;
  }

  @Override
  public synchronized List<AuditEntry> auditLog(long beforeId, int limit) {
    List<AuditEntry> page = new ArrayList<>();
    for (int i = audit.size() - 1; i >= 0 && page.size() < limit; i--) {
      if (audit.get(i).id() < beforeId) {
        page.add(audit.get(i));
      }
    }
    return page;
  }

  @Override
  public void close() {}
}
