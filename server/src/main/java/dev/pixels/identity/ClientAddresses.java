package dev.pixels.identity;

import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides a request's client IP: the socket peer, unless the peer is a trusted proxy, in which
 * case the right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy.
 *
 * <p>Walking from the right matters: everything left of the last trusted hop was written by the
 * client and could be anything. Immutable and thread-safe.
 */
public final class ClientAddresses {
  private final Set<String> trustedProxies;

  public ClientAddresses(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies.stream().map(IpText::canonical).collect(Collectors.toUnmodifiableSet());
  }

  public String of(HttpServerRequest request) {
    String peer = request.remoteAddress() == null ? "unknown" : IpText.canonical(request.remoteAddress().hostAddress());
    // Proxies may append a header line of their own instead of extending the client's: the lines
    // form one list, in order, and the proxy's entries are at its end.
    List<String> lines = request.headers().getAll("X-Forwarded-For");
    return resolve(peer, lines.isEmpty() ? null : String.join(",", lines));
  }

  /** The client IP for a connection from {@code peer} carrying {@code forwardedFor} (may be null). */
  String resolve(String peer, String forwardedFor) {
    if (!trustedProxies.contains(peer) || forwardedFor == null || forwardedFor.isBlank()) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    String client = peer;
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = IpText.canonical(hops[i].trim());
      if (hop.isEmpty() || hop.length() > 64) {
        break; // garbage in the header: stop at the last address we can vouch for
      }
      client = hop;
      if (!trustedProxies.contains(hop)) {
        break;
      }
    }
    return client;
  }
}
