package dev.pixels.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTokensTest {
  private Instant now = Instant.parse("2025-01-18T19:53:00Z");
  private final InstantSource clock = () -> now;
  private final SessionTokens tokens = new SessionTokens("a-secret-of-enough-length", Duration.ofHours(1), clock);

  @Test
  void anIssuedTokenVerifiesToItsUserUntilItExpires() {
    SessionTokens.Session s = tokens.issue();
    assertThat(s.userId()).startsWith("user-");
    assertThat(s.expiresAt()).isEqualTo(now.plus(Duration.ofHours(1)));
    assertThat(tokens.verify(s.token())).isEqualTo(s.userId());
    now = now.plus(Duration.ofMinutes(61));
    assertThatThrownBy(() -> tokens.verify(s.token())).hasMessageContaining("expired");
  }

  @Test
  void aTokenSignedWithAnotherSecretOrAlteredIsRefused() {
    SessionTokens.Session s = tokens.issue("user-victim");
    SessionTokens other = new SessionTokens("another-secret-entirely", Duration.ofHours(1), clock);
    assertThatThrownBy(() -> other.verify(s.token())).isInstanceOf(IdentityProvider.IdentityRejectedException.class);
    String forged = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(("user-attacker." + now.plusSeconds(3600).getEpochSecond()).getBytes())
        + s.token().substring(s.token().indexOf('.'));
    assertThatThrownBy(() -> tokens.verify(forged)).isInstanceOf(IdentityProvider.IdentityRejectedException.class);
  }

  @Test
  void garbageIsRefusedAsInvalidWithoutThrowingAnythingElse() {
    for (String junk : List.of("", ".", "a.b.c", "!!!.???", "x".repeat(300), "abc", "YQ.YQ")) {
      assertThatThrownBy(() -> tokens.verify(junk)).as(junk).isInstanceOf(IdentityProvider.IdentityRejectedException.class);
    }
  }

  @Test
  void theAdminTokenComparisonDistinguishesMissingFromWrong() {
    AdminToken admin = new AdminToken("the-admin-token-123");
    assertThat(admin.checkHeader(null)).isEqualTo(AdminToken.Check.MISSING);
    assertThat(admin.checkHeader("Basic abc")).isEqualTo(AdminToken.Check.MISSING);
    assertThat(admin.checkHeader("Bearer nope")).isEqualTo(AdminToken.Check.WRONG);
    assertThat(admin.checkHeader("Bearer the-admin-token-123")).isEqualTo(AdminToken.Check.ADMIN);
    assertThat(admin.checkHeader("bearer the-admin-token-123")).isEqualTo(AdminToken.Check.ADMIN);
  }

  @Test
  void aGeneratedSecretIsKeptOwnerOnlyAndReusedAfterARestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/admin-token");
    String first = SecretFiles.loadOrCreate(file);
    assertThat(first).hasSizeGreaterThanOrEqualTo(40);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(SecretFiles.loadOrCreate(file)).isEqualTo(first);
  }

  @Test
  void xForwardedForCountsOnlyFromATrustedProxyAndOnlyAsFarAsTrustReaches() {
    ClientAddresses addresses = new ClientAddresses(List.of("10.0.0.1", "10.0.0.2"));
    assertThat(addresses.resolve("203.0.113.9", "1.2.3.4")).as("untrusted peer").isEqualTo("203.0.113.9");
    assertThat(addresses.resolve("10.0.0.1", null)).isEqualTo("10.0.0.1");
    assertThat(addresses.resolve("10.0.0.1", "198.51.100.7")).isEqualTo("198.51.100.7");
    // The client wrote "1.2.3.4" itself; the trusted chain ends at 198.51.100.7.
    assertThat(addresses.resolve("10.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.2")).isEqualTo("198.51.100.7");
  }
}
