package dev.pixels.signin;

/**
 * Why a sign-in was refused, in words for the person signing in.
 *
 * @param code one of the codes docs/identity.md lists, such as {@code state_mismatch} or {@code token_expired}
 */
final class SignInRefused extends Exception {
  private final String code;

  SignInRefused(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  String code() {
    return code;
  }
}
