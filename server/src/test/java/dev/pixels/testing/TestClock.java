package dev.pixels.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A time of day that moves only when a test moves it, for a server started with {@link
 * TestServer#start(java.util.Map, InstantSource)}: expiries and timestamps then follow the test's
 * steps instead of the wall clock. Safe to read from any thread.
 */
public final class TestClock implements InstantSource {
  private final AtomicReference<Instant> now;

  public TestClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** A clock stopped at the current time of day, to the millisecond. */
  public static TestClock stoppedNow() {
    return new TestClock(Instant.ofEpochMilli(System.currentTimeMillis()));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  /** Moves the clock forward by {@code step} and returns the new time. */
  public Instant advance(Duration step) {
    return now.updateAndGet(t -> t.plus(step));
  }
}
