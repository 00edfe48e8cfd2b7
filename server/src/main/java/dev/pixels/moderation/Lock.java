package dev.pixels.moderation;

import dev.pixels.canvas.Region;
import java.time.Instant;

/**
 * A region where only admins may paint, until {@code expiresAt} (null: until deleted). A lock is
 * identified by its rectangle; locking the same rectangle again replaces it.
 */
public record Lock(Region region, String reason, String createdBy, Instant createdAt, Instant expiresAt) {

  public boolean activeAt(Instant now) {
    return expiresAt == null || now.isBefore(expiresAt);
  }
}
