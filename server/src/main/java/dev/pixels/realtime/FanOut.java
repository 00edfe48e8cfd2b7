package dev.pixels.realtime;

/**
 * Carries committed batches to the clients of every instance.
 *
 * <p>On one machine it hands each batch straight to the local {@link Broadcaster}. A distributed
 * implementation may instead deliver through a shared stream that every instance reads.
 */
public interface FanOut {

  /** Delivers {@code batch}; called by one thread at a time, in seq order. */
  void publish(CommittedBatch batch);

  /** The single-instance fan-out: straight to this instance's clients. */
  static FanOut local(Broadcaster broadcaster) {
    return broadcaster::publish;
  }
}
