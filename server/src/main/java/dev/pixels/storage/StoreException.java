package dev.pixels.storage;

/**
 * A store could not do what was asked; nothing of that call was committed. A failed {@link
 * PixelStore#append} may have written part of its batch where readers do not look; the contract
 * in {@link PixelStore} says how the next append deals with that. {@link LogOrderException} is the
 * one refusal that repeating the same call can never overcome.
 */
public sealed class StoreException extends RuntimeException permits LogOrderException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
