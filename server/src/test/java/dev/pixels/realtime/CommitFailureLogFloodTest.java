package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.Palette;
import dev.pixels.canvas.Tool;
import dev.pixels.storage.PixelStores;
import dev.pixels.testing.LogCapture;
import dev.pixels.testing.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * A store that refuses every commit (as a full disk does) costs a few log lines, not a line with a
 * stack trace per batch: the log must not help fill the disk.
 */
class CommitFailureLogFloodTest {
  private static final int FAILED_BATCHES = 200;

  @Test
  void aStoreThatKeepsFailingIsLoggedOnceWithItsStackTraceThenSummarisedOncePerIntervalAndItsRecoveryOnce()
      throws Exception {
    Palette palette = Palette.defaultPalette();
    FailingStore store = new FailingStore(PixelStores.memory(), "database or disk is full");
    TestClock clock = TestClock.stoppedNow();
    Canvas canvas = new Canvas(16, 16);
    Broadcaster broadcaster = new Broadcaster(new BulkUpdateCodec(palette), 1_000, 1 << 20, canvas.seq(),
        canvas.sha256Hex(), System::nanoTime);
    try (LogCapture logs = LogCapture.of(PixelBatcher.class.getName())) {
      PixelBatcher batcher = new PixelBatcher(canvas, store, FanOut.local(broadcaster), Duration.ofMillis(2), 1_000,
          clock);
      batcher.start();
      try {
        store.failing = true;
        for (int i = 0; i < FAILED_BATCHES; i++) {
          assertThatThrownBy(() -> paint(batcher, 1, 1).join()).isInstanceOf(CompletionException.class);
        }
        // All within one summary interval of the clock: the first failure only, with its cause.
        assertThat(lines(logs)).hasSize(1);
        assertThat(lines(logs).get(0).getLevel()).isEqualTo(Level.ERROR);
        assertThat(lines(logs).get(0).getThrowableProxy()).isNotNull();

        clock.advance(PixelBatcher.FAILURE_SUMMARY_INTERVAL);
        assertThatThrownBy(() -> paint(batcher, 2, 2).join()).isInstanceOf(CompletionException.class);
        assertThat(lines(logs)).hasSize(2);
        ILoggingEvent summary = lines(logs).get(1);
        assertThat(summary.getFormattedMessage()).startsWith(FAILED_BATCHES + " more batches (" + FAILED_BATCHES
            + " pixels)").contains("database or disk is full");
        assertThat(summary.getThrowableProxy()).isNull();

        store.failing = false;
        paint(batcher, 3, 3).join();
        paint(batcher, 4, 4).join();
        assertThat(lines(logs)).hasSize(3);
        assertThat(lines(logs).get(2).getLevel()).isEqualTo(Level.WARN);
        assertThat(lines(logs).get(2).getFormattedMessage())
            .contains("succeed again, after " + (FAILED_BATCHES + 1) + " failed batches");
      } finally {
        batcher.stop(Duration.ofSeconds(5));
      }
    }
  }

  private static java.util.concurrent.CompletableFuture<CanvasEditor.EditResult> paint(PixelBatcher batcher, int x,
      int y) {
    return batcher.apply(List.of(new CanvasEditor.Edit(x, y, 2, CanvasEditor.ANY)), "admin", Tool.BRUSH);
  }

  private static List<ILoggingEvent> lines(LogCapture logs) {
    return logs.events().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
  }
}
