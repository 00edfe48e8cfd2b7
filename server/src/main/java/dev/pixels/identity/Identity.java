package dev.pixels.identity;

/**
 * Who is behind a connection, as decided by the server; never taken from what the client claims.
 *
 * @param userId the id used for rate limits, the audit log and bans
 * @param role what the holder may do
 * @param remoteIp the client's address (the socket peer, or a trusted proxy's forwarded address)
 */
public record Identity(String userId, Role role, String remoteIp) {

  /** What an identity may do. */
  public enum Role {
    /** A connection without a session; it gets a fresh server-issued id. */
    ANONYMOUS,
    /** A holder of a signed session token. */
    USER,
    /** A holder of the admin token: exempt from rate limits and region locks. */
    ADMIN
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }
}
