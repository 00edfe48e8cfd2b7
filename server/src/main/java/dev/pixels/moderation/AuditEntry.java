package dev.pixels.moderation;

import java.time.Instant;

/**
 * One moderator action: {@code action} names the kind (lock, unlock, lock_expired, rollback,
 * rewind, ban, unban), {@code paramsJson} its parameters and results as a JSON object.
 *
 * @param id ascending, assigned by the store; the cursor of {@code GET /audit?type=moderation}
 */
public record AuditEntry(long id, String action, String actor, Instant at, String paramsJson) {}
