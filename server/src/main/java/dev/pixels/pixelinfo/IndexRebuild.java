package dev.pixels.pixelinfo;

import dev.pixels.canvas.PixelChange;
import dev.pixels.storage.HistoryQuery;
import dev.pixels.storage.PixelStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a {@link PixelIndex} with the store's history at start: one pass over the log, newest
 * first, a page at a time through {@link PixelStore#history}, which the durable stores serve
 * beside the writer without making it wait.
 *
 * <p>A page that fails is retried after a pause from the same cursor, so no change is counted
 * twice; the pass ends when the log is read or the server stops.
 *
 * <p>Concurrency: runs on its own daemon thread, {@code pixels-index-rebuild}; {@link #stop} may
 * be called from any thread.
 */
public final class IndexRebuild {
  private static final Logger log = LoggerFactory.getLogger(IndexRebuild.class);
  private static final int PAGE = 5_000;
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final PixelIndex index;
  private final PixelStore store;
  private final Thread thread;
  private volatile boolean running = true;

  public IndexRebuild(PixelIndex index, PixelStore store) {
    this.index = index;
    this.store = store;
    this.thread = new Thread(this::run, "pixels-index-rebuild");
    thread.setDaemon(true);
  }

  /** Starts the pass. */
  public void start() {
    thread.start();
  }

  /** Stops the pass at its next page and waits up to {@code timeout} for it to end. */
  public void stop(Duration timeout) {
    running = false;
    thread.interrupt();
    try {
      thread.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    long started = System.nanoTime();
    long before = index.liveAfterSeq() + 1;
    long read = 0;
    while (running && before > 1) {
      List<PixelChange> page;
      try {
        page = store.history(HistoryQuery.newest(PAGE).before(before));
      } catch (RuntimeException e) {
        log.warn("could not read the pixel log below seq {} for the pixel index; retrying in {} s: {}", before,
            RETRY.toSeconds(), e.toString());
        pause();
        continue;
      }
      if (page.isEmpty()) {
        break;
      }
      for (PixelChange c : page) {
        index.record(c);
      }
      read += page.size();
      before = page.get(page.size() - 1).seq();
    }
    if (running) {
      index.completed();
      log.info("pixel index rebuilt from {} logged changes in {} ms", read,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }
  }

  private void pause() {
    try {
      Thread.sleep(RETRY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
