package dev.pixels.timelapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import dev.pixels.canvas.Palette;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Region;
import dev.pixels.canvas.Tool;
import dev.pixels.storage.HistoryQuery;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.PixelStores;
import dev.pixels.testing.ForwardingPixelStore;
import dev.pixels.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job queue on its own: progress and ETA while rendering, the size cap, a full queue. */
class TimelapseJobsTest {
  private static final int W = 64;
  private static final int H = 64;
  private static final long T0 = 1_700_000_000_000L;
  private final TestClock clock = new TestClock(Instant.ofEpochMilli(T0 + 1_000_000));
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private static PixelStore randomStore(int n) {
    PixelStore store = PixelStores.memory();
    Random random = new Random(7);
    List<PixelChange> log = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      log.add(new PixelChange(i, random.nextInt(W), random.nextInt(H), random.nextInt(32), 0, "u", T0 + i, Tool.BRUSH));
    }
    store.append(log);
    return store;
  }

  private static TimelapseRequest request(long everyMillis) {
    return new TimelapseRequest(new Region(0, 0, W - 1, H - 1), T0, T0 + 100_000,
        new TimelapseRequest.Interval.Millis(everyMillis), 10, 1, TimelapseRequest.Format.GIF);
  }

  private TimelapseJobs jobs(PixelStore store, long maxBytes, int queue, Path dir) {
    return new TimelapseJobs(store, W, H, Palette.defaultPalette(), new TimelapseSettings(maxBytes, queue, "ffmpeg"),
        dir, Optional::empty, nanos::get, clock);
  }

  private static TimelapseJobs.View done(TimelapseJobs jobs, String id) {
    await().atMost(Duration.ofSeconds(30)).until(() -> jobs.find(id).orElseThrow().status() == TimelapseJobs.Status.DONE);
    return jobs.find(id).orElseThrow();
  }

  @Test
  void aRunningJobReportsItsProgressAndAnEtaFromTheTimeSoFar(@TempDir Path dir) throws Exception {
    Gate gate = new Gate(randomStore(100_000), 6);
    try (TimelapseJobs jobs = jobs(gate, 1 << 30, 2, dir)) {
      String id = jobs.submit(request(1_000));
      assertThat(gate.held.await(10, TimeUnit.SECONDS)).isTrue();
      TimelapseJobs.View running = jobs.find(id).orElseThrow();
      assertThat(running.status()).isEqualTo(TimelapseJobs.Status.RUNNING);
      assertThat(running.percent()).isBetween(1, 99);
      nanos.addAndGet(Duration.ofSeconds(30).toNanos());
      TimelapseJobs.View later = jobs.find(id).orElseThrow();
      double fraction = later.percent() / 100.0;
      // 30 s for the part done so far: the rest at the same pace
      assertThat(later.etaSeconds()).isBetween((long) (30 * (1 - fraction - 0.01) / (fraction + 0.01)),
          (long) Math.ceil(30 * (1 - fraction + 0.01) / Math.max(0.001, fraction - 0.01)));
      assertThat(later.etaSeconds()).isPositive();
      gate.release.countDown();
      TimelapseJobs.View finished = done(jobs, id);
      assertThat(finished.percent()).isEqualTo(100);
      assertThat(finished.etaSeconds()).isZero();
    }
  }

  @Test
  void aFullQueueRefusesTheJobAndTakesItOnceThereIsRoom(@TempDir Path dir) throws Exception {
    Gate gate = new Gate(randomStore(10_000), 1);
    try (TimelapseJobs jobs = jobs(gate, 1 << 30, 1, dir)) {
      String first = jobs.submit(request(1_000));
      assertThat(gate.held.await(10, TimeUnit.SECONDS)).isTrue();
      String second = jobs.submit(request(1_000)); // waits in the queue of one
      assertThatThrownBy(() -> jobs.submit(request(1_000))).isInstanceOf(TimelapseJobs.Busy.class)
          .hasMessageContaining("queue is full");
      assertThat(jobs.find(second).orElseThrow().status()).isEqualTo(TimelapseJobs.Status.QUEUED);
      gate.release.countDown();
      done(jobs, first);
      done(jobs, second);
      done(jobs, jobs.submit(request(1_000)));
    }
  }

  @Test
  void finishedFilesArePrunedOldestFirstBeyondTheSizeCap(@TempDir Path dir) {
    PixelStore store = randomStore(20_000);
    List<String> ids = new ArrayList<>();
    long size;
    try (TimelapseJobs jobs = jobs(store, 1 << 30, 4, dir)) {
      String probe = jobs.submit(request(5_000));
      size = done(jobs, probe).bytes();
    }
    // Room for two files of that size, not three.
    try (TimelapseJobs jobs = jobs(store, 2 * size + size / 2, 4, dir.resolve("capped"))) {
      for (int i = 0; i < 3; i++) {
        clock.advance(Duration.ofSeconds(1));
        String id = jobs.submit(request(5_000));
        assertThat(done(jobs, id).bytes()).isEqualTo(size);
        ids.add(id);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> jobs.find(ids.get(0)).isEmpty());
      assertThat(Files.exists(dir.resolve("capped").resolve(ids.get(0) + ".gif"))).isFalse();
      assertThat(Files.exists(dir.resolve("capped").resolve(ids.get(0) + ".json"))).isFalse();
      assertThat(jobs.find(ids.get(1))).isPresent();
      assertThat(jobs.find(ids.get(2))).isPresent();
      assertThat(jobs.file(ids.get(2)).orElseThrow()).exists();
    }
  }

  @Test
  void aFileLargerThanTheCapFailsItsJobAndIsNotKept(@TempDir Path dir) {
    try (TimelapseJobs jobs = jobs(randomStore(20_000), 100, 4, dir)) {
      String id = jobs.submit(request(5_000));
      await().atMost(Duration.ofSeconds(30)).until(() -> jobs.find(id).orElseThrow().status() == TimelapseJobs.Status.FAILED);
      assertThat(jobs.find(id).orElseThrow().error()).contains("more than TIMELAPSE_MAX_BYTES");
      assertThat(dir.resolve(id + ".gif")).doesNotExist();
      assertThat(dir.resolve(id + ".gif.part")).doesNotExist();
    }
  }

  @Test
  void aJobStoppedByAShutdownIsRenderedAfterTheRestart(@TempDir Path dir) throws Exception {
    PixelStore store = randomStore(100_000);
    Gate gate = new Gate(store, 2);
    String id;
    try (TimelapseJobs jobs = jobs(gate, 1 << 30, 2, dir)) {
      id = jobs.submit(request(1_000));
      assertThat(gate.held.await(10, TimeUnit.SECONDS)).isTrue();
    } // closing interrupts the render half-way
    assertThat(dir.resolve(id + ".gif")).doesNotExist();
    try (TimelapseJobs jobs = jobs(store, 1 << 30, 2, dir)) {
      TimelapseJobs.View view = done(jobs, id);
      assertThat(view.frames()).isEqualTo(101);
      assertThat(jobs.file(id).orElseThrow()).exists();
      assertThat(dir.resolve(id + ".gif.part")).doesNotExist();
    }
  }

  @Test
  void aVideoFormatWithoutFfmpegIsRefusedNamingTheTool(@TempDir Path dir) {
    try (TimelapseJobs jobs = jobs(randomStore(10), 1 << 30, 4, dir)) {
      TimelapseRequest mp4 = new TimelapseRequest(new Region(0, 0, 9, 9), T0, T0 + 1000,
          new TimelapseRequest.Interval.Millis(100), 10, 1, TimelapseRequest.Format.MP4);
      assertThatThrownBy(() -> jobs.submit(mp4)).isInstanceOf(TimelapseJobs.MissingTool.class)
          .hasMessageContaining("mp4 needs ffmpeg");
    }
  }

  /** A store whose history queries of more than one row (pages of the log) stop after {@code pass} of them until released. */
  private static final class Gate extends ForwardingPixelStore {
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final int pass;
    private final AtomicInteger queries = new AtomicInteger();

    Gate(PixelStore store, int pass) {
      super(store);
      this.pass = pass;
    }

    @Override
    public List<PixelChange> history(HistoryQuery query) {
      if (query.limit() > 1 && queries.incrementAndGet() > pass && release.getCount() > 0) {
        held.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return delegate.history(query);
    }

    @Override
    public String name() {
      return "gate";
    }

    @Override
    public boolean isHealthy() {
      return true;
    }

    @Override
    public void close() {}
  }
}
