package dev.pixels.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 keys derived from the session secret, one per purpose, so that what one feature
 * signs (a pseudonym, a proof-of-work challenge) can never pass as another's, or as a session token.
 */
public final class DerivedKeys {
  private DerivedKeys() {}

  /**
   * Per-thread HMAC-SHA256 instances keyed by {@code HMAC-SHA256(secret, label)}: a {@link Mac}
   * holds state between calls, so threads may not share one.
   */
  public static ThreadLocal<Mac> macs(String secret, String label) {
    byte[] key = mac(secret.getBytes(StandardCharsets.UTF_8)).doFinal(label.getBytes(StandardCharsets.UTF_8));
    return ThreadLocal.withInitial(() -> mac(key));
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
