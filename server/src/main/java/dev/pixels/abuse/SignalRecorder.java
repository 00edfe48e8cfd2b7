package dev.pixels.abuse;

import dev.pixels.identity.Identity;
import dev.pixels.realtime.PaintPolicy;
import dev.pixels.realtime.Verdict;

/**
 * The paint policy that notes every allowed placement in {@link BotSignals}, and otherwise answers
 * as the policy it wraps. It never refuses a pixel: signals inform moderators and ban nobody.
 *
 * <p>Thread-safe: {@link BotSignals} is, and this holds nothing else.
 */
public final class SignalRecorder implements PaintPolicy {
  private final BotSignals signals;
  private final PaintPolicy next;

  public SignalRecorder(BotSignals signals, PaintPolicy next) {
    this.signals = signals;
    this.next = next;
  }

  @Override
  public Verdict check(Identity who, int x, int y) {
    Verdict verdict = next.check(who, x, y);
    if (verdict == Verdict.ALLOW && !who.isAdmin()) {
      signals.placed(who);
    }
    return verdict;
  }
}
