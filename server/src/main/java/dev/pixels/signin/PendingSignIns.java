package dev.pixels.signin;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.pixels.identity.SecretFiles;

/**
 * Sign-ins on their way through a provider: for each {@code state}, the provider, the nonce and the
 * PKCE verifier. Each is taken once by its callback.
 *
 * <p>Bounded: at most {@link #MAX_PENDING}, each for {@link #LIFETIME_MILLIS}; when full, expired
 * ones are dropped and, if still full, the new sign-in is refused rather than an older one dropped.
 *
 * <p>Thread-safe: a concurrent map; taking removes atomically, so a state is used at most once.
 */
final class PendingSignIns {
  static final int MAX_PENDING = 10_000;
  static final long LIFETIME_MILLIS = 10 * 60_000;

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final InstantSource clock;

  record Pending(String providerId, String nonce, String verifier, long createdAtMillis) {
    /** The PKCE S256 challenge of the verifier. */
    String challenge() {
      try {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK ships SHA-256", e);
      }
    }
  }

  PendingSignIns(InstantSource clock) {
    this.clock = clock;
  }

  /** A new pending sign-in and its state, or null if too many are pending. */
  Map.Entry<String, Pending> start(String providerId) {
    if (pending.size() >= MAX_PENDING) {
      evictExpired();
      if (pending.size() >= MAX_PENDING) {
        return null;
      }
    }
    String state = SecretFiles.randomToken(24);
    Pending p = new Pending(providerId, SecretFiles.randomToken(24), SecretFiles.randomToken(32), clock.millis());
    pending.put(state, p);
    return Map.entry(state, p);
  }

  /** The pending sign-in of {@code state}, removed; null if there is none or it expired. */
  Pending take(String state) {
    Pending p = state == null ? null : pending.remove(state);
    return p == null || clock.millis() - p.createdAtMillis() >= LIFETIME_MILLIS ? null : p;
  }

  void evictExpired() {
    long cutoff = clock.millis() - LIFETIME_MILLIS;
    pending.values().removeIf(p -> p.createdAtMillis() <= cutoff);
  }

  int size() {
    return pending.size();
  }
}
