package dev.pixels.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.TestClock;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProofOfWorkTest {
  private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ProofOfWork pow = new ProofOfWork(
      new PowSettings(2000, 3, Duration.ofMinutes(10), Duration.ofMinutes(5)), "a session secret of some length", clock);

  private String code(ProofOfWork.Redemption r) {
    return r instanceof ProofOfWork.Refused refused ? refused.code() : "granted";
  }

  @Test
  void aSolvedChallengePaysForTheConfiguredPixelsAndNoMore() {
    assertThat(pow.take("u")).isFalse();
    assertThat(pow.redeem("u", Altcha.solve(Altcha.json(pow.issue())))).isInstanceOf(ProofOfWork.Granted.class);
    assertThat(pow.take("u")).isTrue();
    assertThat(pow.take("u")).isTrue();
    assertThat(pow.take("u")).isTrue();
    assertThat(pow.take("u")).isFalse();
    assertThat(pow.take("someone-else")).isFalse();
  }

  @Test
  void aCreditRunsOutAfterItsLifetime() {
    pow.redeem("u", Altcha.solve(Altcha.json(pow.issue())));
    clock.advance(Duration.ofMinutes(10));
    assertThat(pow.take("u")).isFalse();
  }

  @Test
  void aSolutionIsAcceptedOnceAndItsReplayIsRefused() {
    String payload = Altcha.solve(Altcha.json(pow.issue()));
    assertThat(code(pow.redeem("u", payload))).isEqualTo("granted");
    assertThat(code(pow.redeem("u", payload))).isEqualTo("pow_replayed");
    assertThat(code(pow.redeem("other", payload))).isEqualTo("pow_replayed");
  }

  @Test
  void aSolutionRedeemedAfterItsChallengeExpiredIsRefusedAsExpired() {
    String payload = Altcha.solve(Altcha.json(pow.issue()));
    clock.advance(Duration.ofMinutes(5));
    assertThat(code(pow.redeem("u", payload))).isEqualTo("pow_expired");
  }

  @Test
  void aWrongNumberIsRefusedAsInvalid() {
    JsonObject challenge = Altcha.json(pow.issue());
    String good = Altcha.solve(challenge);
    long number = new JsonObject(new String(java.util.Base64.getDecoder().decode(good))).getLong("number");
    assertThat(code(pow.redeem("u", Altcha.payload(challenge, number + 1)))).isEqualTo("pow_invalid");
  }

  @Test
  void aChallengeMadeUpByTheClientWithALaterExpiryIsRefusedAsInvalid() {
    JsonObject issued = Altcha.json(pow.issue());
    String salt = issued.getString("salt").replaceAll("expires=\\d+", "expires=9999999999");
    JsonObject forged = issued.copy().put("salt", salt).put("challenge", ProofOfWork.sha256Hex(salt + 7));
    assertThat(code(pow.redeem("u", Altcha.payload(forged, 7)))).isEqualTo("pow_invalid");
    ProofOfWork otherServer = new ProofOfWork(pow.settings(), "another secret entirely", clock);
    assertThat(code(pow.redeem("u", Altcha.solve(Altcha.json(otherServer.issue()))))).isEqualTo("pow_invalid");
  }

  @Test
  void garbagePayloadsAreRefusedAsInvalid() {
    for (String junk : new String[] {"", "not base64!", "e30=", "W10=", "x".repeat(5000)}) {
      assertThat(code(pow.redeem("u", junk))).as(junk).isEqualTo("pow_invalid");
    }
  }

  @Test
  void expiredEntriesAreDroppedSoWhatIsHeldStaysBounded() {
    pow.redeem("u", Altcha.solve(Altcha.json(pow.issue())));
    assertThat(pow.heldEntries()).isEqualTo(2);
    clock.advance(Duration.ofMinutes(10));
    pow.evictExpired();
    assertThat(pow.heldEntries()).isZero();
  }
}
