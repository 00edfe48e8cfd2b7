package dev.pixels.signin;

import java.net.URI;

/**
 * One OpenID Connect provider people may sign in with.
 *
 * @param id short lowercase name used in paths and user ids ({@code <id>:<subject>})
 * @param name the name the page shows on its button
 * @param issuer the issuer URL; its discovery document is {@code <issuer>/.well-known/openid-configuration}
 * @param redirectUrl this server's {@code /auth/<id>/callback}, as registered with the provider
 * @param createdAtClaim the ID-token claim holding the account's creation time (epoch seconds), or
 *     null when the provider gives none, which makes {@code MIN_ACCOUNT_AGE} unavailable
 */
public record OidcProvider(String id, String name, URI issuer, String clientId, String clientSecret, URI redirectUrl,
    String createdAtClaim) {

  /** Keeps the client secret out of {@code toString()}, which may end up in a log. */
  @Override
  public String toString() {
    return "OidcProvider[id=" + id + ", name=" + name + ", issuer=" + issuer + ", clientId=" + clientId + "]";
  }
}
