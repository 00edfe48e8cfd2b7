package dev.pixels.ops;

import java.util.function.Supplier;

/**
 * One part the instance needs before a load balancer should send it traffic: the store, the
 * canvas, Redis when used, not shutting down.
 *
 * <p>{@link #problem()} runs on an event loop for every {@code GET /ready}, so it must answer from
 * state kept fresh elsewhere (a background probe's flag) and never block.
 */
public interface ReadinessCheck {

  /** The part's name, reported when it fails, e.g. {@code store}. */
  String name();

  /** Null when the part is ready; otherwise a short reason. */
  String problem();

  static ReadinessCheck of(String name, Supplier<String> problem) {
    return new ReadinessCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String problem() {
        return problem.get();
      }
    };
  }
}
