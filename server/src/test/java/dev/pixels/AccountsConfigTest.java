package dev.pixels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountsConfigTest {
  private static final Map<String, String> ONE_PROVIDER = Map.of("OIDC_ISSUER", "https://id.example",
      "OIDC_CLIENT_ID", "pixels", "OIDC_CLIENT_SECRET", "secret",
      "OIDC_REDIRECT_URL", "https://pixels.example/auth/oidc/callback");

  private static Map<String, String> with(Map<String, String> base, String... more) {
    Map<String, String> env = new java.util.HashMap<>(base);
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void proofOfWorkAndSignInAreOffByDefault() {
    Config config = Config.fromEnvironment(Map.of());
    assertThat(config.pow().enabled()).isFalse();
    assertThat(config.signIn().enabled()).isFalse();
    assertThat(config.signIn().requireLoginToPaint()).isFalse();
  }

  @Test
  void aProofOfWorkTooSmallToCostAnythingIsRefused() {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("POW_DIFFICULTY", "10")))
        .hasMessageContaining("POW_DIFFICULTY");
  }

  @Test
  void oneProviderNeedsAllFourSettings() {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("OIDC_ISSUER", "https://id.example")))
        .hasMessageContaining("set all four or none");
    assertThat(Config.fromEnvironment(ONE_PROVIDER).signIn().providers()).singleElement()
        .satisfies(p -> assertThat(p.id()).isEqualTo("oidc"));
  }

  @Test
  void severalProvidersEachHaveTheirOwnSettingsAndName() {
    Config config = Config.fromEnvironment(Map.of("OIDC_PROVIDERS", "google,keycloak",
        "OIDC_GOOGLE_ISSUER", "https://accounts.google.com", "OIDC_GOOGLE_CLIENT_ID", "g",
        "OIDC_GOOGLE_CLIENT_SECRET", "gs", "OIDC_GOOGLE_REDIRECT_URL", "https://p.example/auth/google/callback",
        "OIDC_GOOGLE_NAME", "Google",
        "OIDC_KEYCLOAK_ISSUER", "https://kc.example/realms/x", "OIDC_KEYCLOAK_CLIENT_ID", "k",
        "OIDC_KEYCLOAK_CLIENT_SECRET", "ks", "OIDC_KEYCLOAK_REDIRECT_URL", "https://p.example/auth/keycloak/callback"));
    assertThat(config.signIn().providers()).extracting(p -> p.id() + "=" + p.name())
        .containsExactly("google=Google", "keycloak=keycloak");
  }

  @Test
  void theRedirectUrlMustBeThisServersCallbackOfThatProvider() {
    assertThatThrownBy(() -> Config.fromEnvironment(with(ONE_PROVIDER, "OIDC_REDIRECT_URL", "https://p.example/cb")))
        .hasMessageContaining("/auth/oidc/callback");
  }

  @Test
  void requiringLoginWithoutAProviderIsRefused() {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of("REQUIRE_LOGIN_TO_PAINT", "true")))
        .hasMessageContaining("REQUIRE_LOGIN_TO_PAINT");
  }

  @Test
  void aMinimumAccountAgeIsRefusedForAProviderThatDoesNotSayWhenAccountsWereMade() {
    assertThatThrownBy(() -> Config.fromEnvironment(with(ONE_PROVIDER, "MIN_ACCOUNT_AGE_DAYS", "7")))
        .hasMessageContaining("not available for provider oidc");
    assertThat(Config.fromEnvironment(with(ONE_PROVIDER, "MIN_ACCOUNT_AGE_DAYS", "7",
        "OIDC_CREATED_AT_CLAIM", "created_at")).signIn().minAccountAge().toDays()).isEqualTo(7);
  }

  @Test
  void theClientSecretIsNotInTheConfigurationsText() {
    assertThat(Config.fromEnvironment(ONE_PROVIDER).signIn().toString()).doesNotContain("secret");
  }
}
