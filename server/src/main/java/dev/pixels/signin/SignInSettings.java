package dev.pixels.signin;

import java.time.Duration;
import java.util.List;

/**
 * Sign-in with OpenID Connect providers, and the painting policy that goes with it.
 *
 * @param providers none keeps anonymous sessions only
 * @param requireLoginToPaint only signed-in users may paint; everyone may watch
 * @param minAccountAge accounts younger than this may not sign in; zero is off
 */
public record SignInSettings(List<OidcProvider> providers, boolean requireLoginToPaint, Duration minAccountAge) {

  public SignInSettings {
    providers = List.copyOf(providers);
  }

  public static SignInSettings none() {
    return new SignInSettings(List.of(), false, Duration.ZERO);
  }

  public boolean enabled() {
    return !providers.isEmpty();
  }
}
