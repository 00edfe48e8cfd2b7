package dev.pixels.timelapse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pixels.canvas.Palette;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Region;
import dev.pixels.canvas.Tool;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.PixelStores;
import dev.pixels.testing.TestClock;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MP4 and WebM jobs made by the real ffmpeg (scripts/ensure-test-deps.sh installs it), decoded
 * back to raw frames by ffmpeg: each frame shows the canvas at its time, within the lossy
 * codecs' tolerance.
 */
class VideoTimelapseTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final Palette PALETTE = Palette.defaultPalette();
  private static final int SCALE = 5;

  private static Path ffmpeg() {
    return Ffmpeg.onPath("ffmpeg", System.getenv("PATH")).locate()
        .orElseThrow(() -> new AssertionError("ffmpeg is not installed; scripts/ensure-test-deps.sh installs it"));
  }

  /** Decodes {@code video} to rgb24 frames of {@code w}×{@code h}. */
  private static List<byte[]> frames(Path video, int w, int h) throws Exception {
    Process p = new ProcessBuilder(ffmpeg().toString(), "-nostdin", "-v", "error", "-i", video.toString(), "-f",
        "rawvideo", "-pix_fmt", "rgb24", "-").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] all;
    try (InputStream in = p.getInputStream()) {
      all = in.readAllBytes();
    }
    assertThat(p.waitFor()).isZero();
    int size = w * h * 3;
    assertThat(all.length % size).isZero();
    return java.util.stream.IntStream.range(0, all.length / size)
        .mapToObj(i -> java.util.Arrays.copyOfRange(all, i * size, (i + 1) * size)).toList();
  }

  private static void assertColour(byte[] frame, int w, int x, int y, int rgb) {
    // the centre of the pixel's square, away from the codecs' chroma blending at edges
    int o = ((y * SCALE + SCALE / 2) * w + x * SCALE + SCALE / 2) * 3;
    int[] got = {frame[o] & 0xFF, frame[o + 1] & 0xFF, frame[o + 2] & 0xFF};
    int[] want = {rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF};
    for (int c = 0; c < 3; c++) {
      assertThat(Math.abs(got[c] - want[c])).as("(%d,%d) channel %d: %d vs %d", x, y, c, got[c], want[c])
          .isLessThanOrEqualTo(48);
    }
  }

  @Test
  void mp4AndWebmJobsShowTheCanvasAtEachFrame(@TempDir Path dir) throws Exception {
    PixelStore store = PixelStores.memory();
    store.append(List.of(
        new PixelChange(1, 2, 2, 4, 0, "u", T0 + 1_000, Tool.BRUSH), // black
        new PixelChange(2, 5, 5, 6, 0, "u", T0 + 3_000, Tool.BRUSH))); // red
    try (TimelapseJobs jobs = new TimelapseJobs(store, 16, 16, PALETTE,
        new TimelapseSettings(1 << 30, 4, "ffmpeg"), dir, Ffmpeg.onPath("ffmpeg", System.getenv("PATH")),
        System::nanoTime, new TestClock(Instant.ofEpochMilli(T0 + 10_000)))) {
      for (TimelapseRequest.Format format : new TimelapseRequest.Format[] {TimelapseRequest.Format.MP4,
          TimelapseRequest.Format.WEBM}) {
        // 45x35 output pixels: odd sides, which yuv420p needs padded to even ones
        TimelapseRequest request = new TimelapseRequest(new Region(0, 0, 8, 6), T0, T0 + 4_000,
            new TimelapseRequest.Interval.Millis(2_000), 10, SCALE, format);
        String id = jobs.submit(request);
        await().atMost(Duration.ofSeconds(60)).until(() -> jobs.find(id).orElseThrow().status() != TimelapseJobs.Status.QUEUED
            && jobs.find(id).orElseThrow().status() != TimelapseJobs.Status.RUNNING);
        TimelapseJobs.View view = jobs.find(id).orElseThrow();
        assertThat(view.status()).as(view.error()).isEqualTo(TimelapseJobs.Status.DONE);
        assertThat(view.mediaType()).isEqualTo(format.mediaType());
        int w = (9 * SCALE + 1) / 2 * 2; // 45 padded to 46
        int h = (7 * SCALE + 1) / 2 * 2; // 35 padded to 36
        List<byte[]> frames = frames(jobs.file(id).orElseThrow(), w, h);
        assertThat(frames).as(format.name()).hasSize(3); // T0, T0+2s, T0+4s
        assertColour(frames.get(0), w, 2, 2, 0xFFFFFF);
        assertColour(frames.get(1), w, 2, 2, 0x000000);
        assertColour(frames.get(1), w, 5, 5, 0xFFFFFF);
        assertColour(frames.get(2), w, 5, 5, 0xE50000);
        assertColour(frames.get(2), w, 2, 2, 0x000000);
      }
    }
  }
}
