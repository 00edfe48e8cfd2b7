package dev.pixels.signin;

import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The server's side of one provider: its discovery document, the authorization URL of a sign-in,
 * and the exchange of a code for a validated ID token.
 *
 * <p>Blocking: it calls the provider over HTTP, so it runs on worker threads, never on an event
 * loop. Thread-safe: the discovered metadata is published once through a volatile field (two
 * threads may both fetch it the first time; either result is the same).
 */
final class ProviderClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_ANSWER_CHARS = 256 * 1024;

  private final OidcProvider provider;
  private final HttpClient http;
  private final InstantSource clock;
  private volatile Metadata metadata;

  private record Metadata(URI authorization, URI token, IdTokenValidator validator) {}

  ProviderClient(OidcProvider provider, HttpClient http, InstantSource clock) {
    this.provider = provider;
    this.http = http;
    this.clock = clock;
  }

  OidcProvider provider() {
    return provider;
  }

  /** Where to send the browser to sign in. */
  URI authorizationUrl(String state, PendingSignIns.Pending pending) throws SignInRefused {
    Map<String, String> query = Map.of("response_type", "code", "client_id", provider.clientId(),
        "redirect_uri", provider.redirectUrl().toString(), "scope", "openid profile", "state", state,
        "nonce", pending.nonce(), "code_challenge", pending.challenge(), "code_challenge_method", "S256");
    URI base = metadata().authorization();
    return URI.create(base + (base.getQuery() == null ? "?" : "&") + form(query));
  }

  /** The validated claims of the ID token the provider gives for {@code code}. */
  JWTClaimsSet redeem(String code, PendingSignIns.Pending pending) throws SignInRefused {
    Metadata m = metadata();
    String body = form(Map.of("grant_type", "authorization_code", "code", code,
        "redirect_uri", provider.redirectUrl().toString(), "code_verifier", pending.verifier(),
        "client_id", provider.clientId()));
    String basic = Base64.getEncoder().encodeToString((encode(provider.clientId()) + ":"
        + encode(provider.clientSecret())).getBytes(StandardCharsets.UTF_8));
    JsonObject answer = fetchJson(HttpRequest.newBuilder(m.token()).timeout(TIMEOUT)
        .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), "token_exchange");
    if (!(answer.getValue("id_token") instanceof String idToken)) {
      throw new SignInRefused("token_exchange", "the provider refused the sign-in code or sent no ID token");
    }
    return m.validator().validate(idToken, pending.nonce());
  }

  private Metadata metadata() throws SignInRefused {
    Metadata m = metadata;
    if (m != null) {
      return m;
    }
    String issuer = provider.issuer().toString().replaceAll("/+$", "");
    JsonObject doc = fetchJson(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
        .timeout(TIMEOUT).GET().build(), "provider_unreachable");
    try {
      if (!provider.issuer().toString().equals(doc.getString("issuer"))) {
        throw new SignInRefused("provider_unreachable", "the provider's discovery document names another issuer");
      }
      URI jwks = URI.create(doc.getString("jwks_uri"));
      m = new Metadata(URI.create(doc.getString("authorization_endpoint")), URI.create(doc.getString("token_endpoint")),
          new IdTokenValidator(doc.getString("issuer"), provider.clientId(),
              JWKSourceBuilder.<SecurityContext>create(jwks.toURL()).build(), clock));
    } catch (ClassCastException | NullPointerException | IllegalArgumentException | MalformedURLException e) {
      throw new SignInRefused("provider_unreachable", "the provider's discovery document is incomplete");
    }
    metadata = m;
    return m;
  }

  private JsonObject fetchJson(HttpRequest request, String code) throws SignInRefused {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2 || response.body().length() > MAX_ANSWER_CHARS) {
        throw new SignInRefused(code, "the provider answered HTTP " + response.statusCode());
      }
      return new JsonObject(response.body());
    } catch (IOException | DecodeException | ClassCastException e) {
      throw new SignInRefused(code, "the provider could not be reached or answered no JSON");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SignInRefused(code, "interrupted");
    }
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
