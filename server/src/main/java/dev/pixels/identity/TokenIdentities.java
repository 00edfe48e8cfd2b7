package dev.pixels.identity;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The identity provider: the admin token makes an admin, a valid session token makes
 * its user, no token makes a fresh anonymous id. A token that is present but invalid is refused
 * (HTTP 401) rather than silently downgraded, so a client notices its session expired.
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenIdentities implements IdentityProvider {
  /** The user id every admin connection acts as, in the audit log. */
  public static final String ADMIN_USER_ID = "admin";

  private final SessionTokens sessions;
  private final AdminToken admin;
  private final AnonymousIdentities anonymous = new AnonymousIdentities();

  public TokenIdentities(SessionTokens sessions, AdminToken admin) {
    this.sessions = sessions;
    this.admin = admin;
  }

  @Override
  public Identity identify(HttpServerRequest request, String remoteIp) {
    String token = request.getParam("token");
    if (token == null || token.isEmpty()) {
      token = AdminToken.bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
    }
    if (token == null || token.isEmpty()) {
      return anonymous.identify(request, remoteIp);
    }
    if (admin.matches(token)) {
      return new Identity(ADMIN_USER_ID, Identity.Role.ADMIN, remoteIp);
    }
    return new Identity(sessions.verify(token), Identity.Role.USER, remoteIp);
  }
}
