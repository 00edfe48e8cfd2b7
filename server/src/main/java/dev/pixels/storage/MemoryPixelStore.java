package dev.pixels.storage;

import dev.pixels.canvas.PixelChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A pixel store that keeps everything on the heap and nothing on disk, for tests and benchmarks.
 *
 * <p>Every method is {@code synchronized}: calls are rare (one per batch) and short.
 */
final class MemoryPixelStore implements PixelStore {
  private final List<PixelChange> log = new ArrayList<>();
  private Checkpoint checkpoint;

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public synchronized void append(List<PixelChange> batch) {
    long expected = log.isEmpty() ? 0 : log.get(log.size() - 1).seq();
    for (PixelChange change : batch) {
      if (change.seq() <= expected) {
        throw new StoreException("seq " + change.seq() + " is not after " + expected);
      }
      expected = change.seq();
    }
    log.addAll(batch);
  }

  @Override
  public synchronized void replay(long afterSeq, Consumer<PixelChange> sink) {
    for (PixelChange change : log) {
      if (change.seq() > afterSeq) {
        sink.accept(change);
      }
    }
  }

  @Override
  public synchronized List<PixelChange> logAfter(long afterSeq, int limit) {
    List<PixelChange> page = new ArrayList<>(Math.min(limit, 1024));
    int from = firstAbove(afterSeq);
    for (int i = from; i < log.size() && page.size() < limit; i++) {
      page.add(log.get(i));
    }
    return page;
  }

  /** The index of the first change above {@code seq}, by binary search: the log is in seq order. */
  private int firstAbove(long seq) {
    int lo = 0;
    int hi = log.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (log.get(mid).seq() <= seq) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public synchronized List<PixelChange> history(HistoryQuery query) {
    List<PixelChange> page = new ArrayList<>(Math.min(query.limit(), 1024));
    for (int i = log.size() - 1; i >= 0 && page.size() < query.limit(); i--) {
      PixelChange change = log.get(i);
      if (query.matches(change)) {
        page.add(change);
      }
    }
    return page;
  }

  @Override
  public synchronized Optional<Checkpoint> latestCheckpoint() {
    return Optional.ofNullable(checkpoint);
  }

  @Override
  public synchronized void saveCheckpoint(Checkpoint newCheckpoint) {
    if (checkpoint == null || newCheckpoint.seq() >= checkpoint.seq()) {
      checkpoint = new Checkpoint(
          newCheckpoint.seq(), newCheckpoint.width(), newCheckpoint.height(), newCheckpoint.pixels().clone());
    }
  }

  @Override
  public boolean isHealthy() {
    return true;
  }

  @Override
  public void close() {}
}
