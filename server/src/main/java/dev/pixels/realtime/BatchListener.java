package dev.pixels.realtime;

import java.util.List;

/**
 * Observes the pixel pipeline for metrics: whichever {@link PixelIntake} a server runs (the {@link
 * PixelBatcher} on one instance, the Redis-backed intake with several) reports the same events, so
 * every pixel-path meter moves in both modes. Called on the pipeline's own threads.
 */
public interface BatchListener {
  BatchListener NONE = new BatchListener() {};

  /** {@code requests} were stored durably in one store call of {@code commitNanos} and acknowledged. */
  default void committed(List<PixelRequest> requests, long commitNanos) {
    stored(requests.size(), commitNanos);
    acknowledged(requests);
  }

  /** One store call of {@code commitNanos} stored {@code pixels} log entries. */
  default void stored(int pixels, long commitNanos) {}

  /** {@code requests}, stored, were acknowledged to their painters. */
  default void acknowledged(List<PixelRequest> requests) {}

  /**
   * The store failed a batch; {@code pixels} of it were rejected as {@code unavailable} because of
   * that (0 when the pipeline keeps them to try again).
   */
  default void failed(int pixels, RuntimeException cause) {}

  /** The pipeline itself refused {@code pixels} pixels for {@code reason} (not a store failure). */
  default void rejected(int pixels, RejectReason reason) {}
}
