package dev.pixels.storage;

/**
 * The store is throttling: nothing of the call was committed, and retrying after {@link
 * #retryAfterMs()} is likely to succeed. Callers turn it into backpressure ({@code unavailable}
 * with {@code retryAfterMs}) rather than queueing more work.
 */
public final class StoreBusyException extends RuntimeException {
  private final long retryAfterMs;

  public StoreBusyException(String message, long retryAfterMs, Throwable cause) {
    super(message, cause);
    this.retryAfterMs = retryAfterMs;
  }

  public long retryAfterMs() {
    return retryAfterMs;
  }
}
