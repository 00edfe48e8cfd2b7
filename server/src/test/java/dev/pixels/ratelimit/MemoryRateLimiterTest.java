package dev.pixels.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryRateLimiterTest {
  private long now = TimeUnit.HOURS.toNanos(5);
  private final java.util.List<Refusals.Part> refusals = new java.util.ArrayList<>();

  private MemoryRateLimiter limiter(Limit limit) {
    return new MemoryRateLimiter(limit, () -> now, refusals::add);
  }

  private void advanceMillis(long ms) {
    now += TimeUnit.MILLISECONDS.toNanos(ms);
  }

  @Test
  void aFullBucketAllowsTheBurstThenSaysExactlyWhenTheNextTokenArrives() {
    MemoryRateLimiter l = limiter(Limit.bucket(10, 20));
    for (int i = 0; i < 20; i++) {
      assertThat(l.tryAcquire("u")).as("pixel %d", i).isZero();
    }
    assertThat(l.tryAcquire("u")).isEqualTo(100);
    advanceMillis(99);
    assertThat(l.tryAcquire("u")).isEqualTo(1);
    advanceMillis(1);
    assertThat(l.tryAcquire("u")).isZero();
    assertThat(l.tryAcquire("u")).isEqualTo(100);
  }

  @Test
  void theBucketRefillsAtTheSteadyRateButNeverBeyondItsBurst() {
    MemoryRateLimiter l = limiter(Limit.bucket(10, 20));
    for (int i = 0; i < 20; i++) {
      l.tryAcquire("u");
    }
    advanceMillis(500);
    for (int i = 0; i < 5; i++) {
      assertThat(l.tryAcquire("u")).isZero();
    }
    assertThat(l.tryAcquire("u")).isPositive();
    advanceMillis(60_000);
    for (int i = 0; i < 20; i++) {
      assertThat(l.tryAcquire("u")).isZero();
    }
    assertThat(l.tryAcquire("u")).isPositive();
  }

  @Test
  void theRollingMinuteAllowsPerMinuteAndReopensWhenTheOldestPermitIsAMinuteOld() {
    MemoryRateLimiter l = limiter(Limit.perMinute(100));
    for (int i = 0; i < 100; i++) {
      assertThat(l.tryAcquire("u")).isZero();
      advanceMillis(100); // 100 permits over 10 s
    }
    // The first permit was taken 10 s ago; it leaves the window 50 s from now.
    assertThat(l.tryAcquire("u")).isEqualTo(50_000);
    advanceMillis(50_000);
    assertThat(l.tryAcquire("u")).isZero();
    assertThat(l.tryAcquire("u")).isEqualTo(100);
  }

  @Test
  void bothPartsMustPassAndARefusalTakesNothingAndReportsTheLongerWait() {
    MemoryRateLimiter l = limiter(new Limit(10, 20, 25));
    for (int i = 0; i < 20; i++) {
      assertThat(l.tryAcquire("u")).isZero();
    }
    advanceMillis(1000); // 10 tokens back, 5 left in the minute
    for (int i = 0; i < 5; i++) {
      assertThat(l.tryAcquire("u")).isZero();
    }
    // Bucket has 5 tokens, window is full until the first permits are a minute old.
    assertThat(l.tryAcquire("u")).isEqualTo(59_000);
    assertThat(l.tryAcquire("u")).isEqualTo(59_000);
    advanceMillis(59_000);
    assertThat(l.tryAcquire("u")).isZero();
  }

  @Test
  void keysAreLimitedIndependently() {
    MemoryRateLimiter l = limiter(Limit.bucket(1, 1));
    assertThat(l.tryAcquire("a")).isZero();
    assertThat(l.tryAcquire("a")).isEqualTo(1000);
    assertThat(l.tryAcquire("b")).isZero();
  }

  @Test
  void idleKeysAreEvictedOnlyOnceTheyAreIndistinguishableFromNewOnes() {
    MemoryRateLimiter l = limiter(new Limit(10, 20, 100));
    l.tryAcquire("a");
    advanceMillis(30_000);
    l.evictIdle();
    assertThat(l.trackedKeys()).as("a's permit is still in the rolling minute").isEqualTo(1);
    advanceMillis(30_001);
    l.evictIdle();
    assertThat(l.trackedKeys()).isZero();
  }

  @Test
  void aLimitOfZeroIsNoLimitAtAll() {
    RateLimiter l = RateLimiters.inMemory(new Limit(0, 0, 0), () -> now);
    for (int i = 0; i < 10_000; i++) {
      assertThat(l.tryAcquire("u")).isZero();
    }
    assertThat(Limit.bucket(10, 0).isUnlimited()).isTrue();
  }

  @Test
  void aConnectionLimitCountsOpenConnectionsPerKeyAndFreesThemOnClose() {
    ConnectionLimit c = new ConnectionLimit(2);
    assertThat(c.tryOpen("ip")).isTrue();
    assertThat(c.tryOpen("ip")).isTrue();
    assertThat(c.tryOpen("ip")).isFalse();
    assertThat(c.tryOpen("other")).isTrue();
    c.closed("ip");
    assertThat(c.tryOpen("ip")).isTrue();
    assertThat(c.openCount("ip")).isEqualTo(2);
  }

  @Test
  void eachRefusalSaysWhetherTheBucketOrTheMinuteWindowRefused() {
    MemoryRateLimiter l = limiter(new Limit(10, 20, 25));
    for (int i = 0; i < 20; i++) {
      l.tryAcquire("u");
    }
    assertThat(l.tryAcquire("u")).isPositive();
    assertThat(refusals).containsExactly(Refusals.Part.BUCKET);
    advanceMillis(10_000); // the bucket is full again, but 5 more pixels fill the minute
    for (int i = 0; i < 5; i++) {
      assertThat(l.tryAcquire("u")).isZero();
    }
    assertThat(l.tryAcquire("u")).isPositive();
    assertThat(refusals).containsExactly(Refusals.Part.BUCKET, Refusals.Part.WINDOW);
  }
}
