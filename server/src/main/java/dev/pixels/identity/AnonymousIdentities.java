package dev.pixels.identity;

import io.vertx.core.http.HttpServerRequest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Gives every connection a fresh random anonymous id; the foundation's identity provider. */
public final class AnonymousIdentities implements IdentityProvider {
  private final SecureRandom random = new SecureRandom();

  @Override
  public Identity identify(HttpServerRequest request, String remoteIp) {
    return new Identity(newAnonymousId(), Identity.Role.ANONYMOUS, remoteIp);
  }

  /** A new id such as {@code anon-3f9a0c1d2b4e5f60}: 64 random bits, unguessable and unlinkable. */
  public String newAnonymousId() {
    byte[] bytes = new byte[8];
    random.nextBytes(bytes);
    return "anon-" + HexFormat.of().formatHex(bytes);
  }
}
