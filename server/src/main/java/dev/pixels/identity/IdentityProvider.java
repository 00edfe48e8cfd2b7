package dev.pixels.identity;

import io.vertx.core.http.HttpServerRequest;

/** Decides the {@link Identity} of a WebSocket client from its upgrade request. */
public interface IdentityProvider {

  /**
   * Returns the identity for {@code request}, whose client address is {@code remoteIp}.
   *
   * @throws IdentityRejectedException if the request presents credentials that are not valid
   */
  Identity identify(HttpServerRequest request, String remoteIp);

  /** Thrown when a client presents a token that is forged, expired or otherwise unusable. */
  final class IdentityRejectedException extends RuntimeException {
    public IdentityRejectedException(String message) {
      super(message);
    }
  }
}
