package dev.pixels.storage;

/** A store could not do what was asked; nothing of that call was made durable. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
