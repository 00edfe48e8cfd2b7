package dev.pixels.signin;

import dev.pixels.identity.Identity;
import dev.pixels.realtime.PaintPolicy;
import dev.pixels.realtime.RejectReason;
import dev.pixels.realtime.Verdict;

/**
 * The paint policy of {@code REQUIRE_LOGIN_TO_PAINT}: only users signed in with a provider (user ids
 * {@code <provider>:<subject>}, which only the sign-in issues) and admins may paint; everyone may
 * watch.
 *
 * <p>Immutable and thread-safe.
 */
public final class LoginGate implements PaintPolicy {
  private static final Verdict.Rejection REQUIRED =
      new Verdict.Rejection(RejectReason.LOGIN_REQUIRED, "sign in to paint on this canvas; see GET /auth/providers");

  private final PaintPolicy next;

  public LoginGate(PaintPolicy next) {
    this.next = next;
  }

  @Override
  public Verdict check(Identity who, int x, int y) {
    if (!who.isAdmin() && who.userId().indexOf(':') < 0) {
      return REQUIRED;
    }
    return next.check(who, x, y);
  }
}
