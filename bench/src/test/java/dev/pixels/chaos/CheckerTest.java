package dev.pixels.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.chaos.Checker.InstanceCanvas;
import dev.pixels.chaos.Checker.LogEntry;
import dev.pixels.chaos.History.Pixel;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The checker fails a history with a planted bug and passes the same history without it. */
class CheckerTest {
  private static final List<String> PALETTE = List.of("#FFFFFF", "#000000", "#FF0000");
  private final Checker checker = new Checker(4, 4, PALETTE);

  /** Ten acked pixels, seqs 1..10, all stored, every instance at the replay, one watcher saw them all. */
  private static final class Run {
    final History history = new History();
    final List<LogEntry> log = new ArrayList<>();

    Run() {
      List<Pixel> seen = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        Pixel p = new Pixel(i % 4, (i / 4) % 4, PALETTE.get(1 + i % 2));
        History.Sent s = new History.Sent("p" + i, i % 3, p, i * 10L);
        s.outcome = History.Outcome.ACKED;
        s.seq = i;
        s.answeredMillis = i * 10L + 5;
        history.add(s);
        log.add(new LogEntry(i, p));
        seen.add(p);
      }
      history.add(new History.Bulk(0, 0, 0, 1, 10, seen, 200));
    }

    List<InstanceCanvas> canvases(Checker checker) {
      TreeMap<Long, Pixel> bySeq = new TreeMap<>();
      log.forEach(e -> bySeq.put(e.seq(), e.pixel()));
      byte[] replay = checker.replay(bySeq);
      List<InstanceCanvas> out = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        out.add(new InstanceCanvas(i, bySeq.isEmpty() ? 0 : bySeq.lastKey(), replay.clone()));
      }
      return out;
    }
  }

  @Test
  void aHistoryWithoutFaultsPasses() {
    Run run = new Run();
    Checker.Result r = checker.check(run.history, run.log, run.canvases(checker), 3);
    assertThat(r.problems()).isEmpty();
    assertThat(r.passed()).isTrue();
    assertThat(r.ackedPixels()).isEqualTo(10);
  }

  @Test
  void aDroppedLogEntryOfAnAckedPixelFailsCheckOne() {
    Run run = new Run();
    List<InstanceCanvas> canvases = run.canvases(checker);
    run.log.remove(4); // seq 5: acked, and now not stored
    Checker.Result r = checker.check(run.history, run.log, canvases, 3);
    assertThat(r.ackedLost()).isEqualTo(1);
    assertThat(r.passed()).isFalse();
    assertThat(r.problems()).anyMatch(p -> p.startsWith("check 1:") && p.contains("seq 5"));
  }

  @Test
  void onASingleNodeAPixelAckedWhileTheDiskWasFullButNeverStoredFailsCheckOne() {
    History history = new History();
    List<LogEntry> log = new ArrayList<>();
    TreeMap<Long, Pixel> stored = new TreeMap<>();
    for (int i = 1; i <= 10; i++) {
      Pixel p = new Pixel(i % 4, (i / 4) % 4, PALETTE.get(1 + i % 2));
      History.Sent s = new History.Sent("p" + i, 0, p, i * 10L);
      s.outcome = History.Outcome.ACKED;
      s.seq = i;
      s.answeredMillis = i * 10L + 5;
      history.add(s);
      // Seq 6, acked at 65 ms inside the fault, was held in memory only and died with the instance.
      if (i != 6) {
        log.add(new LogEntry(i, p));
        stored.put((long) i, p);
      }
    }
    history.add(new History.Fault("disk-full-kill9", "instance-0", 40, 90));
    List<InstanceCanvas> one = List.of(new InstanceCanvas(0, 10, checker.replay(stored)));
    Checker.Result r = checker.check(history, log, one, 1);
    assertThat(r.ackedLost()).isEqualTo(1);
    assertThat(r.divergentInstances()).isZero();
    assertThat(r.passed()).isFalse();
    assertThat(r.problems()).anyMatch(p -> p.startsWith("check 1:") && p.contains("seq 6"));
    assertThat(r.faults().get("disk-full-kill9").recoveryMillis()).containsExactly(5L);
  }

  @Test
  void theNemesisKindsCanBeNarrowedButNotToAnUnknownKind() {
    assertThat(ChaosMain.kinds(Nemesis.CLUSTER_KINDS, List.of("instance-partition", "redis-stop")))
        .containsExactly("redis-stop", "instance-partition");
    assertThat(ChaosMain.kinds(Nemesis.SINGLE_KINDS, null)).isEqualTo(Nemesis.SINGLE_KINDS);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChaosMain.kinds(Nemesis.SINGLE_KINDS, List.of("redis-stop")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis-stop");
  }

  @Test
  void aFabricatedAckFailsCheckOne() {
    Run run = new Run();
    History.Sent forged = new History.Sent("forged", 1, new Pixel(3, 3, "#FF0000"), 300);
    forged.outcome = History.Outcome.ACKED;
    forged.seq = 11;
    forged.answeredMillis = 301;
    run.history.add(forged);
    Checker.Result r = checker.check(run.history, run.log, run.canvases(checker), 3);
    assertThat(r.ackedLost()).isEqualTo(1);
    assertThat(r.passed()).isFalse();
  }

  @Test
  void aSeqAckedToTwoPixelsFailsCheckFour() {
    Run run = new Run();
    History.Sent twin = new History.Sent("twin", 1, new Pixel(1, 0, "#FF0000"), 300);
    twin.outcome = History.Outcome.ACKED;
    twin.seq = 1;
    run.history.add(twin);
    Checker.Result r = checker.check(run.history, run.log, run.canvases(checker), 3);
    assertThat(r.duplicates()).isEqualTo(1);
    assertThat(r.passed()).isFalse();
  }

  @Test
  void anInstanceOnAnotherCanvasFailsCheckTwo() {
    Run run = new Run();
    List<InstanceCanvas> canvases = run.canvases(checker);
    canvases.get(2).bytes()[0] ^= 1;
    Checker.Result r = checker.check(run.history, run.log, canvases, 3);
    assertThat(r.divergentInstances()).isEqualTo(1);
    assertThat(r.passed()).isFalse();
  }

  @Test
  void aWatcherThatSawAPixelNobodyStoredFailsCheckThreeUnlessItWasToldToResync() {
    Run run = new Run();
    run.history.add(new History.Bulk(1, 1, 1, 11, 11, List.of(new Pixel(0, 0, "#FF0000")), 250));
    Checker.Result silent = checker.check(run.history, run.log, run.canvases(checker), 3);
    assertThat(silent.watchersTakenBack()).isEqualTo(1);
    assertThat(silent.passed()).isFalse();

    // Closed with 4002 on a later connection of the same watcher.
    run.history.add(new History.Close(1, 7, 1, 4002, 260));
    Checker.Result told = checker.check(run.history, run.log, run.canvases(checker), 3);
    assertThat(told.watchersTakenBack()).isZero();
    assertThat(told.watchersTakenBackAnnounced()).isEqualTo(1);
    assertThat(told.passed()).isTrue();
  }

  @Test
  void aWatcherToldToResyncBeforeItSawThePixelStillFailsCheckThree() {
    Run run = new Run();
    run.history.add(new History.Resync(1, 3, 1, 10, 240));
    run.history.add(new History.Bulk(1, 4, 1, 11, 11, List.of(new Pixel(0, 0, "#FF0000")), 250));
    Checker.Result r = checker.check(run.history, run.log, run.canvases(checker), 3);
    assertThat(r.watchersTakenBack()).isEqualTo(1);
    assertThat(r.passed()).isFalse();
  }
}
