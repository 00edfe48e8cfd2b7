package dev.pixels.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.identity.Identity;
import dev.pixels.testing.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BotSignalsTest {
  private final TestClock clock = TestClock.stoppedNow();
  private final BotSignals signals = new BotSignals(clock);

  @Test
  void sessionsBeyondTheCapAreCountedButNotTracked() {
    for (int i = 0; i < BotSignals.MAX_SESSIONS + 5; i++) {
      signals.placed(new Identity("user-" + i, Identity.Role.USER, "10.0.0.1"));
    }
    assertThat(signals.trackedSessions()).isEqualTo(BotSignals.MAX_SESSIONS);
    assertThat(signals.untracked()).isEqualTo(5);
  }

  @Test
  void sessionsIdleForAnHourAreDropped() {
    signals.placed(new Identity("old", Identity.Role.USER, "10.0.0.1"));
    clock.advance(Duration.ofMinutes(61));
    signals.placed(new Identity("new", Identity.Role.USER, "10.0.0.1"));
    signals.evictIdle();
    assertThat(signals.ranked(10)).extracting(BotSignals.Suspect::userId).containsExactly("new");
  }

  @Test
  void aFewRegularPixelsAreNotEnoughToCountAsRegular() {
    Identity who = new Identity("u", Identity.Role.USER, "10.0.0.1");
    signals.canvasLoaded("10.0.0.1");
    for (int i = 0; i < BotSignals.MIN_INTERVALS; i++) {
      signals.placed(who);
      clock.advance(Duration.ofMillis(100));
    }
    assertThat(signals.ranked(1).get(0).score()).isZero();
    signals.placed(who);
    assertThat(signals.ranked(1).get(0).score()).isEqualTo(3.0);
  }
}
