package dev.pixels.identity;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies session tokens: {@code base64url(userId "." expiresAtEpochSeconds) "."
 * base64url(HMAC-SHA256(secret, payload))}.
 *
 * <p>The token is self-contained, so any server holding the secret verifies it without a lookup.
 * The signature is compared in constant time.
 *
 * <p>Thread-safe: {@link Mac} instances are not, so each call makes its own from the shared key.
 */
public final class SessionTokens {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();
  /** Longest token accepted; anything longer is refused before any decoding. */
  static final int MAX_TOKEN_LENGTH = 256;

  private final SecretKeySpec key;
  private final Duration ttl;
  private final InstantSource clock;

  /** A new session: who, the token to present, and when it stops working. */
  public record Session(String userId, String token, Instant expiresAt) {}

  public SessionTokens(String secret, Duration ttl, InstantSource clock) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.ttl = ttl;
    this.clock = clock;
  }

  /** Issues a session for a new, random user id. */
  public Session issue() {
    byte[] id = new byte[12];
    new java.security.SecureRandom().nextBytes(id);
    return issue("user-" + HexFormat.of().formatHex(id));
  }

  /** Issues a session for {@code userId}, which the server has decided (never the client). */
  public Session issue(String userId) {
    Instant expiresAt = clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String payload = userId + "." + expiresAt.getEpochSecond();
    String encoded = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    return new Session(userId, encoded + "." + B64.encodeToString(sign(encoded)), expiresAt);
  }

  /**
   * The user id of a valid, unexpired token.
   *
   * @throws IdentityProvider.IdentityRejectedException if it is malformed, forged or expired
   */
  public String verify(String token) {
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new IdentityProvider.IdentityRejectedException("the session token is not valid");
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      throw new IdentityProvider.IdentityRejectedException("the session token is not valid");
    }
    String encoded = token.substring(0, dot);
    byte[] signature;
    String payload;
    try {
      signature = B64D.decode(token.substring(dot + 1));
      payload = new String(B64D.decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IdentityProvider.IdentityRejectedException("the session token is not valid");
    }
    if (!MessageDigest.isEqual(sign(encoded), signature)) {
      throw new IdentityProvider.IdentityRejectedException("the session token is not valid");
    }
    int sep = payload.lastIndexOf('.');
    long expires;
    try {
      expires = Long.parseLong(payload.substring(sep + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      throw new IdentityProvider.IdentityRejectedException("the session token is not valid");
    }
    if (sep <= 0 || clock.instant().getEpochSecond() >= expires) {
      throw new IdentityProvider.IdentityRejectedException("the session token has expired; POST /session for a new one");
    }
    return payload.substring(0, sep);
  }

  private byte[] sign(String encodedPayload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(encodedPayload.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every JDK ships HmacSHA256", e);
    }
  }
}
