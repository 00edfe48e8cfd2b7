package dev.pixels.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Region;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@link ModerationStore} contract, run against every implementation by a subclass. */
abstract class ModerationStoreContract {
  private static final Instant AT = Instant.parse("2026-01-02T03:04:05.123Z");
  protected ModerationStore store;

  protected abstract ModerationStore open();

  /** The same store as another process (or instance) sees it. */
  protected abstract ModerationStore second(ModerationStore first);

  @BeforeEach
  void openStore() {
    store = open();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void aSavedLockIsReadBackExactlyAndSavingTheSameRectangleReplacesIt() {
    Lock lock = new Lock(new Region(1, 2, 30, 40), "art", "admin", AT, AT.plusSeconds(60));
    store.saveLock(lock);
    store.saveLock(new Lock(new Region(5, 5, 5, 5), null, "admin", AT, null));
    Lock replaced = new Lock(new Region(1, 2, 30, 40), "still art", "admin", AT.plusSeconds(1), null);
    store.saveLock(replaced);
    assertThat(store.locks()).containsExactlyInAnyOrder(replaced, new Lock(new Region(5, 5, 5, 5), null, "admin", AT,
        null));
    ModerationStore other = second(store);
    try {
      assertThat(other.locks()).contains(replaced);
    } finally {
      if (other != store) {
        other.close();
      }
    }
  }

  @Test
  void deletingALockSaysWhetherThereWasOne() {
    store.saveLock(new Lock(new Region(0, 0, 1, 1), null, "admin", AT, null));
    assertThat(store.deleteLock(new Region(0, 0, 1, 1))).isTrue();
    assertThat(store.deleteLock(new Region(0, 0, 1, 1))).isFalse();
    assertThat(store.locks()).isEmpty();
  }

  @Test
  void bansAreSavedReadBackAndDeleted() {
    Ban user = new Ban("ban-1", Ban.Kind.USER, "user-9", "griefing", "admin", AT, null);
    Ban ip = new Ban("ban-2", Ban.Kind.IP, "10.0.0.1", null, "admin", AT, AT.plusSeconds(3600));
    store.saveBan(user);
    store.saveBan(ip);
    assertThat(store.bans()).containsExactlyInAnyOrder(user, ip);
    assertThat(store.deleteBan("ban-1")).isTrue();
    assertThat(store.deleteBan("ban-1")).isFalse();
    assertThat(store.bans()).containsExactly(ip);
  }

  @Test
  void auditEntriesGetRisingIdsAndPageNewestFirst() {
    List<Long> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(store.audit(new AuditEntry(0, "lock", "admin", AT.plusSeconds(i), "{\"n\":" + i + "}")).id());
    }
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    List<AuditEntry> newest = store.auditLog(Long.MAX_VALUE, 2);
    assertThat(newest).extracting(AuditEntry::paramsJson).containsExactly("{\"n\":4}", "{\"n\":3}");
    assertThat(store.auditLog(newest.get(1).id(), 10)).extracting(AuditEntry::paramsJson)
        .containsExactly("{\"n\":2}", "{\"n\":1}", "{\"n\":0}");
    assertThat(newest.get(0).at()).isEqualTo(AT.plusSeconds(4));
  }
}
