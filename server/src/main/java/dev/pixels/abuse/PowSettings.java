package dev.pixels.abuse;

import java.time.Duration;

/**
 * Settings of the proof of work a session solves before it may paint.
 *
 * @param difficulty the largest number a challenge's secret number is drawn from (ALTCHA's
 *     {@code maxnumber}); a browser tries half of them on average; 0 turns proof of work off
 * @param pixelsPerSolution pixels a solution pays for before another is needed
 * @param solutionLifetime how long a solution pays for pixels before another is needed
 * @param challengeLifetime how long an issued challenge may be solved and redeemed
 */
public record PowSettings(int difficulty, int pixelsPerSolution, Duration solutionLifetime,
    Duration challengeLifetime) {

  /** Proof of work switched off. */
  public static PowSettings off() {
    return new PowSettings(0, 1, Duration.ofMinutes(1), Duration.ofMinutes(1));
  }

  public boolean enabled() {
    return difficulty > 0;
  }
}
