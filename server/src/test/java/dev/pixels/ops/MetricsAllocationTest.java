package dev.pixels.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.realtime.RejectReason;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The per-pixel metric calls allocate nothing: measured with the JVM's per-thread allocation
 * counter around a million calls, after a warm-up that lets the JIT compile them.
 */
class MetricsAllocationTest {
  private static final int PIXELS = 1_000_000;

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  @Test
  void countingRejectionsAndRateLimitsAndRecordingAckDelaysDoesNotAllocatePerPixel() {
    try (PixelsMetrics metrics = new PixelsMetrics("memory", () -> 0, () -> 0, () -> 0)) {
      RejectReason[] reasons = RejectReason.values();
      PixelsMetrics.Limiter[] limiters = PixelsMetrics.Limiter.values();
      Runnable perPixel = () -> {
        for (int i = 0; i < PIXELS; i++) {
          metrics.rejected(reasons[i % reasons.length]);
          metrics.rateLimited(limiters[i % limiters.length]);
          metrics.recordAckDelay(i * 1_000L);
        }
      };
      for (int round = 0; round < 5; round++) {
        perPixel.run(); // warm-up: compile, and let the adders settle
      }
      long before = allocatedBytes();
      perPixel.run();
      long allocated = allocatedBytes() - before;

      // A few hundred bytes may come from a histogram's time window rotating; one allocation per
      // pixel would be at least 16 MB here.
      assertThat(allocated).as("bytes allocated for %d pixels", PIXELS).isLessThan(64 * 1024);
      assertThat(metrics.registry().get("pixels.rejected").tag("reason", "malformed").counter().count())
          .isEqualTo(6.0 * PIXELS / reasons.length, org.assertj.core.data.Offset.offset(7.0));
      assertThat(metrics.registry().get("pixels.ack.delay").timer().count()).isEqualTo(6L * PIXELS);
      assertThat(metrics.registry().get("pixels.ack.delay").timer().max(TimeUnit.NANOSECONDS)).isPositive();
    }
  }
}
