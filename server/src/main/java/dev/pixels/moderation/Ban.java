package dev.pixels.moderation;

import java.time.Instant;

/** A user id or an IP address whose pixels are refused until {@code until} (null: until lifted). */
public record Ban(String id, Kind kind, String subject, String reason, String createdBy, Instant createdAt,
    Instant until) {

  /** What a ban names. */
  public enum Kind {
    USER,
    IP
  }

  public boolean activeAt(Instant now) {
    return until == null || now.isBefore(until);
  }
}
