package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Region;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LockGridTest {
  private static final Instant T0 = Instant.parse("2025-01-18T19:00:00Z");

  private static Lock lock(int x1, int y1, int x2, int y2, Instant expires) {
    return new Lock(new Region(x1, y1, x2, y2), null, "admin", T0, expires);
  }

  @Test
  void aPixelIsLockedExactlyWhenAnActiveLockCoversIt() {
    LockGrid grid = LockGrid.of(List.of(lock(10, 10, 19, 14, null), lock(0, 0, 0, 0, null)), 100, 50);
    long now = T0.toEpochMilli();
    assertThat(grid.isLocked(10, 10, now)).isTrue();
    assertThat(grid.isLocked(19, 14, now)).isTrue();
    assertThat(grid.isLocked(20, 14, now)).isFalse();
    assertThat(grid.isLocked(19, 15, now)).isFalse();
    assertThat(grid.isLocked(9, 10, now)).isFalse();
    assertThat(grid.isLocked(0, 0, now)).isTrue();
    assertThat(grid.isLocked(99, 49, now)).isFalse();
  }

  @Test
  void anExpiredLockStopsBlockingBeforeTheGridIsRebuiltWhileOverlappingLiveLocksStillBlock() {
    Instant expiry = T0.plusSeconds(60);
    LockGrid grid = LockGrid.of(List.of(lock(0, 0, 9, 9, expiry), lock(5, 5, 14, 14, null)), 20, 20);
    assertThat(grid.isLocked(1, 1, expiry.toEpochMilli() - 1)).isTrue();
    assertThat(grid.isLocked(1, 1, expiry.toEpochMilli())).isFalse();
    assertThat(grid.isLocked(6, 6, expiry.toEpochMilli())).isTrue();
  }

  @Test
  void manyLocksCostTheSameOneArrayReadPerPixel() {
    List<Lock> many = new java.util.ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      many.add(lock(i % 900, i / 900 * 10, i % 900, i / 900 * 10 + 5, null));
    }
    LockGrid grid = LockGrid.of(many, 900, 900);
    assertThat(grid.isLocked(3, 2, T0.toEpochMilli())).isTrue();
    assertThat(grid.isLocked(3, 8, T0.toEpochMilli())).isFalse();
  }
}
