package dev.pixels.realtime;

import dev.pixels.text.LogText;
import java.time.Duration;
import java.time.InstantSource;
import org.slf4j.Logger;

/**
 * The log of a run of failed commits, kept to a few lines however long the store refuses writes.
 *
 * <p>A store that is full or down fails every batch, up to one per batch interval and more under
 * load; an error with a stack trace for each would fill the disk that may be the cause. So the
 * first failure of a run is logged with its stack trace, then at most one summary line per {@code
 * summaryInterval} counting the failures since the last line, and one line when a commit succeeds
 * again. Used by the batcher thread only.
 */
final class CommitFailureLog {
  private final Logger log;
  private final String storeName;
  private final InstantSource clock;
  private final long summaryIntervalMillis;

  private boolean failing;
  private long runStartMillis;
  private long lastLineMillis;
  private long runBatches;
  private long runPixels;
  private long unreportedBatches;
  private long unreportedPixels;
  private RuntimeException lastCause;

  CommitFailureLog(Logger log, String storeName, InstantSource clock, Duration summaryInterval) {
    this.log = log;
    this.storeName = storeName;
    this.clock = clock;
    this.summaryIntervalMillis = summaryInterval.toMillis();
  }

  /** Records a batch of {@code pixels} that the store refused with {@code cause}. */
  void failed(int pixels, RuntimeException cause) {
    long now = clock.millis();
    runBatches++;
    runPixels += pixels;
    if (!failing) {
      failing = true;
      runStartMillis = now;
      lastLineMillis = now;
      log.error("could not commit {} pixels to the {} store; they were rejected, and further failures are "
          + "summarised every {} s until a commit succeeds", pixels, storeName, summaryIntervalMillis / 1000, cause);
      return;
    }
    unreportedBatches++;
    unreportedPixels += pixels;
    lastCause = cause;
    if (now - lastLineMillis >= summaryIntervalMillis) {
      summarise(now);
    }
  }

  /** Records a successful commit; ends a run of failures with one line. */
  void succeeded() {
    if (!failing) {
      return;
    }
    long now = clock.millis();
    if (unreportedBatches > 0) {
      summarise(now);
    }
    log.warn("commits to the {} store succeed again, after {} failed batches ({} pixels rejected) over {} s",
        storeName, runBatches, runPixels, (now - runStartMillis) / 1000);
    failing = false;
    runBatches = 0;
    runPixels = 0;
  }

  private void summarise(long now) {
    log.error("{} more batches ({} pixels) could not be committed to the {} store in the last {} s; the last "
        + "error: {}", unreportedBatches, unreportedPixels, storeName, (now - lastLineMillis) / 1000,
        LogText.escape(String.valueOf(lastCause)));
    lastLineMillis = now;
    unreportedBatches = 0;
    unreportedPixels = 0;
    lastCause = null;
  }
}
