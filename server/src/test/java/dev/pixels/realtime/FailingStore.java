package dev.pixels.realtime;

import dev.pixels.canvas.PixelChange;
import dev.pixels.storage.PixelStore;
import dev.pixels.storage.StoreException;
import dev.pixels.testing.ForwardingPixelStore;
import java.util.List;

/**
 * A store whose appends fail with {@code failure} while {@link #failing} is set, as a full or
 * broken disk would.
 */
final class FailingStore extends ForwardingPixelStore {
  private final String failure;
  volatile boolean failing;

  FailingStore(PixelStore delegate, String failure) {
    super(delegate);
    this.failure = failure;
  }

  @Override
  public void append(List<PixelChange> batch) {
    if (failing) {
      throw new StoreException(failure);
    }
    delegate.append(batch);
  }

  @Override
  public boolean isHealthy() {
    return !failing && delegate.isHealthy();
  }
}
