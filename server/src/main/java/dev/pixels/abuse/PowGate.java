package dev.pixels.abuse;

import dev.pixels.identity.Identity;
import dev.pixels.realtime.PaintPolicy;
import dev.pixels.realtime.RejectReason;
import dev.pixels.realtime.Verdict;

/**
 * The paint policy with proof of work in front: a pixel needs a pixel of its user's proof-of-work
 * credit before the other checks run, and gets it back if they refuse it. Admins skip it.
 *
 * <p>Thread-safe: {@link ProofOfWork} is, and this holds nothing else.
 */
public final class PowGate implements PaintPolicy {
  private static final Verdict.Rejection REQUIRED = new Verdict.Rejection(RejectReason.POW_REQUIRED,
      "solve a proof of work before painting: GET /pow/challenge, then POST /pow/solution with your session token");

  private final ProofOfWork pow;
  private final PaintPolicy next;

  public PowGate(ProofOfWork pow, PaintPolicy next) {
    this.pow = pow;
    this.next = next;
  }

  @Override
  public Verdict check(Identity who, int x, int y) {
    if (who.isAdmin()) {
      return next.check(who, x, y);
    }
    if (!pow.take(who.userId())) {
      return REQUIRED;
    }
    Verdict verdict = next.check(who, x, y);
    if (verdict != Verdict.ALLOW) {
      pow.giveBack(who.userId());
    }
    return verdict;
  }
}
