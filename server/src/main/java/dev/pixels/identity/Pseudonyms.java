package dev.pixels.identity;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;

/**
 * Stable public names for user ids: the same id always gets the same pseudonym, on every instance
 * that shares the session secret, and the id cannot be read back from it.
 *
 * <p>A pseudonym is {@code painter-} followed by ten Crockford base-32 characters (50 bits) of
 * HMAC-SHA256 over the user id, keyed by a key derived from the session secret. Deriving the key
 * keeps pseudonyms from doubling as session-token MACs. Fifty bits keep collisions unlikely below
 * tens of millions of users while staying short enough to read out loud.
 *
 * <p>Thread-safe: each thread keeps its own {@link Mac}, because a {@code Mac} holds state between
 * calls and exports compute millions of pseudonyms in a row.
 */
public final class Pseudonyms {
  private static final char[] CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final String PREFIX = "painter-";
  private static final int CHARS = 10;

  private final ThreadLocal<Mac> macs;

  /** Pseudonyms keyed from {@code sessionSecret}; instances with the same secret agree. */
  public Pseudonyms(String sessionSecret) {
    this.macs = DerivedKeys.macs(sessionSecret, "pixels pseudonym key v1");
  }

  /** The pseudonym of {@code userId}. */
  public String of(String userId) {
    byte[] digest = macs.get().doFinal(userId.getBytes(StandardCharsets.UTF_8));
    StringBuilder name = new StringBuilder(PREFIX.length() + CHARS).append(PREFIX);
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (digest[i] & 0xff);
    }
    for (int i = 0; i < CHARS; i++) {
      name.append(CROCKFORD[(int) (bits >>> (59 - 5 * i)) & 31]);
    }
    return name.toString();
  }
}
