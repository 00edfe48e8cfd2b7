package dev.pixels.testing;

import dev.pixels.canvas.PixelChange;
import dev.pixels.storage.Checkpoint;
import dev.pixels.storage.HistoryQuery;
import dev.pixels.storage.PixelStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A store that passes every call on to another. Tests extend it to change the one or two calls
 * they are about (an append that fails, a query that is counted or held) and keep the rest real.
 */
public abstract class ForwardingPixelStore implements PixelStore {
  protected final PixelStore delegate;

  protected ForwardingPixelStore(PixelStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public void append(List<PixelChange> batch) {
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
    return delegate.isHealthy();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
