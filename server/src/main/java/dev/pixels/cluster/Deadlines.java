package dev.pixels.cluster;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** How the cluster's own threads are stopped within a caller's deadline. */
final class Deadlines {
  private Deadlines() {}

  /**
   * Wakes {@code thread} (its loop has been told to stop), waits for it until {@code deadlineNanos}
   * ({@link System#nanoTime()}), and interrupts it if it is still running then: a Redis or store
   * call it is blocked in ends by that, and nothing waits for its result any more.
   */
  static void stopBy(Thread thread, long deadlineNanos) {
    LockSupport.unpark(thread);
    try {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) {
        thread.join(Duration.ofNanos(left));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
  }
}
