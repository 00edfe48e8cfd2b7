package dev.pixels.storage;

/**
 * An append refused before anything was written because its seqs do not rise above what the log
 * already holds (see "Refusing a batch that does not follow the log" in docs/storage.md). The
 * refusal depends only on the batch and the log, so the same batch is refused again however often
 * it is repeated: a caller gives up on it instead of retrying.
 */
public final class LogOrderException extends StoreException {
  private static final long serialVersionUID = 1L;

  public LogOrderException(String message) {
    super(message);
  }
}
