package dev.pixels.ratelimit;

/**
 * Told which part of a limit refused a permit, for metrics. Called on the refusing thread (often
 * an event loop) for every refusal, so an implementation must be cheap and must not allocate.
 */
@FunctionalInterface
public interface Refusals {
  /** Which part of a {@link Limit} said no. */
  enum Part {
    /** The token bucket was empty. */
    BUCKET,
    /** The rolling minute was full (reported even when the bucket was empty too). */
    WINDOW
  }

  /** Nobody is listening. */
  Refusals NONE = part -> {};

  void refused(Part part);
}
