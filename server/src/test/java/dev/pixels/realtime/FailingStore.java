package dev.pixels.realtime;

import dev.pixels.canvas.PixelChange;
import dev.pixels.storage.Checkpoint;
import dev.pixels.storage.HistoryQuery;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.StoreException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A store whose appends fail with {@code failure} while {@link #failing} is set, as a full or
 * broken disk would.
 */
final class FailingStore implements PixelStore {
  private final PixelStore delegate;
  private final String failure;
  volatile boolean failing;

  FailingStore(PixelStore delegate, String failure) {
    this.delegate = delegate;
    this.failure = failure;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public void append(List<PixelChange> batch) {
    if (failing) {
      throw new StoreException(failure);
    }
    delegate.append(batch);
  }

  @Override
  public void replay(long afterSeq, Consumer<PixelChange> sink) {
    delegate.replay(afterSeq, sink);
  }

  @Override
  public List<PixelChange> history(HistoryQuery query) {
    return delegate.history(query);
  }

  @Override
  public List<PixelChange> logAfter(long afterSeq, int limit) {
    return delegate.logAfter(afterSeq, limit);
  }

  @Override
  public Optional<Checkpoint> latestCheckpoint() {
    return delegate.latestCheckpoint();
  }

  @Override
  public void saveCheckpoint(Checkpoint checkpoint) {
    delegate.saveCheckpoint(checkpoint);
  }

  @Override
  public boolean isHealthy() {
    return !failing && delegate.isHealthy();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
