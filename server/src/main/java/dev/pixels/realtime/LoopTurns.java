package dev.pixels.realtime;

import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.TimeUnit;

/**
 * Runs the next step of a long piece of event-loop work after the loop has polled its sockets once
 * more, so reads (a painter's pixel, a pong) are not held up for the whole of it.
 *
 * <p>Why not {@link Context#runOnContext}: Netty's event loop runs queued tasks for up to a quantum
 * of a second ({@code io.netty.eventLoop.maxTaskProcessingQuantumMs}) before it polls its sockets
 * again, and a task queued while tasks run is taken in the same pass. A chain of steps that each
 * queue the next would keep the loop from reading for as long as the chain lasts. A task scheduled
 * with no delay, by contrast, is moved to the task queue only when a pass starts, which is after
 * the loop has polled its sockets; the step then runs on the Vert.x context as any other task.
 *
 * <p>Concurrency: {@link #next} may be called from any thread; steps run on the context's loop, in
 * the order they were handed over.
 */
final class LoopTurns {
  private final Context context;
  /** Null if the context does not expose its Netty loop; steps are then queued as plain tasks. */
  private final EventLoop eventLoop;

  LoopTurns(Context context) {
    this.context = context;
    this.eventLoop = context instanceof ContextInternal internal ? internal.nettyEventLoop() : null;
  }

  /** Runs {@code step} on the context once the loop has polled its sockets. */
  void next(Runnable step) {
    later(0, step);
  }

  /** Runs {@code step} on the context once {@code nanos} have passed and the loop has polled its sockets. */
  void later(long nanos, Runnable step) {
    if (eventLoop == null) {
      if (nanos <= 0) {
        context.runOnContext(v -> step.run());
      } else {
        context.owner().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)), id -> step.run());
      }
      return;
    }
    eventLoop.schedule(() -> context.runOnContext(v -> step.run()), Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }
}
