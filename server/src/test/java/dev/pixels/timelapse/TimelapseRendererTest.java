package dev.pixels.timelapse;

import static org.assertj.core.api.Assertions.assertThat;
import dev.pixels.canvas.Palette;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Region;
import dev.pixels.canvas.Tool;
import dev.pixels.storage.Checkpoint;
import dev.pixels.storage.HistoryQuery;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.PixelStores;
import dev.pixels.testing.Dynalite;
import dev.pixels.testing.ForwardingPixelStore;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The renderer against a store: every frame equals a replay of the log to that frame's time, from every starting point. */
class TimelapseRendererTest {
  private static final int W = 40;
  private static final int H = 30;
  private static final long T0 = 1_700_000_000_000L;

  /** A log of {@code n} random changes, one per 10 ms from T0 + 10 ms. */
  private static List<PixelChange> randomLog(int n, long seed) {
    Random random = new Random(seed);
    byte[] canvas = new byte[W * H];
    List<PixelChange> log = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      int x = random.nextInt(W);
      int y = random.nextInt(H);
      int color = random.nextInt(32);
      log.add(new PixelChange(i, x, y, color, canvas[y * W + x], "u" + (i % 7), T0 + 10L * i, Tool.BRUSH));
      canvas[y * W + x] = (byte) color;
    }
    return log;
  }

  private static byte[] replay(List<PixelChange> log, long untilMillis) {
    byte[] canvas = new byte[W * H];
    for (PixelChange c : log) {
      if (c.timestampMillis() <= untilMillis) {
        canvas[c.y() * W + c.x()] = (byte) c.color();
      }
    }
    return canvas;
  }

  /** Keeps a copy of the region of each frame. */
  private static final class Recorder implements FrameSink {
    final List<byte[]> frames = new ArrayList<>();
    final List<Region> changed = new ArrayList<>();
    boolean finished;

    @Override
    public void frame(byte[] pixels, int canvasWidth, Region part) {
      frames.add(pixels.clone());
      changed.add(part);
    }

    @Override
    public void finish() {
      finished = true;
    }

    @Override
    public void abort() {}
  }

  private static PixelStore storeWith(List<PixelChange> log, Long checkpointSeq) {
    PixelStore store = PixelStores.memory();
    store.append(log);
    if (checkpointSeq != null) {
      byte[] canvas = new byte[W * H];
      for (PixelChange c : log.subList(0, (int) (long) checkpointSeq)) {
        canvas[c.y() * W + c.x()] = (byte) c.color();
      }
      store.saveCheckpoint(new Checkpoint(checkpointSeq, W, H, canvas));
    }
    return store;
  }

  private static TimelapseRequest everyMillis(long from, long to, long every) {
    return new TimelapseRequest(new Region(0, 0, W - 1, H - 1), from, to, new TimelapseRequest.Interval.Millis(every),
        10, 1, TimelapseRequest.Format.GIF);
  }

  @Test
  void everyFrameEqualsAReplayToItsTimeWhateverTheCheckpoint() throws Exception {
    List<PixelChange> log = randomLog(50_000, 1);
    long from = T0 + 200_000; // after seq 20 000
    long to = T0 + 300_005;
    for (Long checkpoint : new Long[] {null, 5_000L, 19_999L, 20_000L, 22_000L, 45_000L, 50_000L}) {
      Recorder frames = new Recorder();
      new TimelapseRenderer(storeWith(log, checkpoint), W, H).render(everyMillis(from, to, 7_000), frames, (d, t) -> {});
      assertThat(frames.finished).isTrue();
      assertThat(frames.frames).as("checkpoint %s", checkpoint).hasSize(16); // ceil(100005/7000) + 1
      for (int i = 0; i < frames.frames.size(); i++) {
        long at = Math.min(from + i * 7_000L, to);
        assertThat(frames.frames.get(i)).as("checkpoint %s frame %d", checkpoint, i).isEqualTo(replay(log, at));
      }
    }
  }

  @Test
  void aDynamoDbStoreRendersTheSameFramesThroughTheStoreInterface() throws Exception {
    List<PixelChange> log = randomLog(3_000, 5);
    try (Dynalite dynalite = Dynalite.start();
        PixelStore store = PixelStores.dynamodb(dynalite.freshSettings())) {
      for (int i = 0; i < log.size(); i += 500) {
        store.append(log.subList(i, i + 500));
      }
      byte[] atCheckpoint = replay(log, T0 + 10L * 2_000);
      store.saveCheckpoint(new Checkpoint(2_000, W, H, atCheckpoint)); // after the start: walked back
      Recorder frames = new Recorder();
      long from = T0 + 5_000;
      long to = T0 + 25_000;
      new TimelapseRenderer(store, W, H).render(everyMillis(from, to, 4_000), frames, (d, t) -> {});
      assertThat(frames.frames).hasSize(6);
      for (int i = 0; i < 6; i++) {
        assertThat(frames.frames.get(i)).as("frame %d", i).isEqualTo(replay(log, Math.min(from + i * 4_000L, to)));
      }
    }
  }

  @Test
  void aFrameEveryNPixelsCountsOnlyPixelsInsideTheRegion() throws Exception {
    List<PixelChange> log = randomLog(2_000, 2);
    Region region = new Region(5, 5, 14, 9);
    long inside = log.stream().filter(c -> region.contains(c.x(), c.y())).count();
    Recorder frames = new Recorder();
    new TimelapseRenderer(storeWith(log, null), W, H).render(new TimelapseRequest(region, T0, T0 + 100_000,
        new TimelapseRequest.Interval.Pixels(10), 10, 2, TimelapseRequest.Format.GIF), frames, (d, t) -> {});
    assertThat(frames.frames).hasSize((int) ((inside + 9) / 10) + 1);
    assertThat(frames.changed.get(0)).isEqualTo(region);
    for (Region part : frames.changed.subList(1, frames.changed.size())) {
      assertThat(part.x1()).isGreaterThanOrEqualTo(5);
      assertThat(part.x2()).isLessThanOrEqualTo(14);
    }
  }

  @Test
  void progressRunsToTheTotalAndTheLogIsReadInPagesNotPerFrame() throws Exception {
    List<PixelChange> log = randomLog(30_000, 3);
    AtomicInteger queries = new AtomicInteger();
    PixelStore store = storeWith(log, null);
    PixelStore counting = new CountingStore(store, queries);
    List<long[]> progress = new ArrayList<>();
    Recorder frames = new Recorder();
    // 301 frames over 30 000 changes: a reconstruction per frame would take hundreds of queries.
    new TimelapseRenderer(counting, W, H).render(everyMillis(T0, T0 + 300_000, 1_000), frames,
        (d, t) -> progress.add(new long[] {d, t}));
    assertThat(frames.frames).hasSize(301);
    assertThat(queries.get()).isLessThan(60);
    long total = progress.get(0)[1];
    assertThat(progress.get(progress.size() - 1)).containsExactly(total, total);
    for (int i = 1; i < progress.size(); i++) {
      assertThat(progress.get(i)[0]).isGreaterThanOrEqualTo(progress.get(i - 1)[0]);
    }
  }

  @Test
  void theGifOfARenderDecodesToTheSameFrames() throws Exception {
    List<PixelChange> log = randomLog(3_000, 4);
    Palette palette = Palette.defaultPalette();
    TimelapseRequest request = new TimelapseRequest(new Region(3, 2, 22, 17), T0, T0 + 30_000,
        new TimelapseRequest.Interval.Millis(2_500), 25, 2, TimelapseRequest.Format.GIF);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TimelapseRenderer(storeWith(log, 1_000L), W, H).render(request, new GifFrames(out, palette, request), (d, t) -> {});
    GifPlayback gif = GifPlayback.of(out.toByteArray());
    assertThat(gif.width).isEqualTo(40);
    assertThat(gif.height).isEqualTo(32);
    assertThat(gif.delaysCentis).containsOnly(4);
    assertThat(gif.pictures).hasSize(13);
    for (int i = 0; i < 13; i++) {
      byte[] expected = replay(log, Math.min(T0 + i * 2_500L, T0 + 30_000));
      for (int y = 2; y <= 17; y++) {
        for (int x = 3; x <= 22; x++) {
          assertThat(gif.rgb(i, x - 3, y - 2, 2)).as("frame %d (%d,%d)", i, x, y)
              .isEqualTo(palette.rgb(expected[y * W + x]));
        }
      }
    }
  }

  /** Counts history queries, passing everything to the store underneath. */
  private static final class CountingStore extends ForwardingPixelStore {
    private final AtomicInteger queries;

    CountingStore(PixelStore store, AtomicInteger queries) {
      super(store);
      this.queries = queries;
    }

    @Override
    public List<PixelChange> history(HistoryQuery query) {
      queries.incrementAndGet();
      return delegate.history(query);
    }

    @Override
    public List<PixelChange> logAfter(long afterSeq, int limit) {
      queries.incrementAndGet();
      return delegate.logAfter(afterSeq, limit);
    }

    @Override
    public boolean isHealthy() {
      return true;
    }

    @Override
    public void close() {}
  }
}
