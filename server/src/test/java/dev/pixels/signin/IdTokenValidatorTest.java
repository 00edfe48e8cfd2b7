package dev.pixels.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import dev.pixels.testing.TestClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ID tokens signed by a real OIDC server started here, checked against its published keys. */
class IdTokenValidatorTest {
  private static final String CLIENT = "pixels";
  private static MockOAuth2Server provider;
  private final TestClock clock = TestClock.stoppedNow();
  private IdTokenValidator validator;

  @BeforeAll
  static void startProvider() {
    provider = new MockOAuth2Server();
    provider.start();
  }

  @AfterAll
  static void stopProvider() {
    provider.shutdown();
  }

  private IdTokenValidator validator() throws Exception {
    if (validator == null) {
      validator = new IdTokenValidator(provider.issuerUrl("default").toString(), CLIENT,
          JWKSourceBuilder.<SecurityContext>create(URI.create(provider.jwksUrl("default").toString()).toURL()).build(),
          clock);
    }
    return validator;
  }

  private static String token(String issuer, List<String> audience, String nonce, long expirySeconds) {
    return provider.issueToken(issuer, CLIENT, new DefaultOAuth2TokenCallback(issuer, "alice", "JWT", audience,
        Map.of("nonce", nonce, "name", "Alice"), expirySeconds)).serialize();
  }

  private String refusal(String token, String nonce) throws Exception {
    try {
      validator().validate(token, nonce);
      return "accepted";
    } catch (SignInRefused e) {
      assertThat(e.getMessage()).isNotBlank();
      return e.code();
    }
  }

  @Test
  void aTokenForThisClientAndNonceIsAccepted() throws Exception {
    var claims = validator().validate(token("default", List.of(CLIENT), "n1", 3600), "n1");
    assertThat(claims.getSubject()).isEqualTo("alice");
    assertThat(claims.getStringClaim("name")).isEqualTo("Alice");
  }

  @Test
  void aTamperedTokenIsRefusedForItsSignature() throws Exception {
    String[] parts = token("default", List.of(CLIENT), "n1", 3600).split("\\.");
    String payload = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8).replace("alice", "admin");
    String tampered = parts[0] + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertThat(refusal(tampered, "n1")).isEqualTo("token_signature");
  }

  @Test
  void aTokenForAnotherAudienceIsRefused() throws Exception {
    assertThat(refusal(token("default", List.of("another-client"), "n1", 3600), "n1")).isEqualTo("token_audience");
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    String token = token("default", List.of(CLIENT), "n1", 300);
    clock.advance(Duration.ofMinutes(7));
    assertThat(refusal(token, "n1")).isEqualTo("token_expired");
  }

  @Test
  void aTokenFromAnotherSignInIsRefusedForItsNonce() throws Exception {
    assertThat(refusal(token("default", List.of(CLIENT), "n1", 3600), "n2")).isEqualTo("token_nonce");
  }

  @Test
  void aTokenFromAnotherIssuerIsRefused() throws Exception {
    assertThat(refusal(token("elsewhere", List.of(CLIENT), "n1", 3600), "n1")).isIn("token_issuer", "token_signature");
  }

  @Test
  void somethingThatIsNotAJwtIsRefused() throws Exception {
    assertThat(refusal("not-a-jwt", "n1")).isEqualTo("token_invalid");
  }
}
