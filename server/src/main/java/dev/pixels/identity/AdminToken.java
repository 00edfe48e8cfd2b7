package dev.pixels.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin bearer token and the one place it is compared, always in constant time.
 *
 * <p>Immutable and thread-safe.
 */
public final class AdminToken {
  private static final String BEARER = "Bearer ";
  private final byte[] token;

  /** What an {@code Authorization} header proves about its sender. */
  public enum Check {
    ADMIN,
    /** No bearer token at all: answer 401. */
    MISSING,
    /** A bearer token that is not the admin token: answer 403. */
    WRONG
  }

  public AdminToken(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** Checks an {@code Authorization} header value (may be null). */
  public Check checkHeader(String authorization) {
    String presented = bearer(authorization);
    if (presented == null) {
      return Check.MISSING;
    }
    return matches(presented) ? Check.ADMIN : Check.WRONG;
  }

  /** True if {@code presented} is the admin token; the comparison takes the same time either way. */
  public boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }

  /** The token of an {@code Authorization: Bearer <token>} header, or null if there is none. */
  public static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return null;
    }
    String value = authorization.substring(BEARER.length()).trim();
    return value.isEmpty() ? null : value;
  }
}
