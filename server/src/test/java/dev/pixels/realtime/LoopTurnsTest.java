package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetServer;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A chain of event-loop steps handed over through {@link LoopTurns} lets the loop read its sockets
 * between steps, as the broadcaster's slices must for a painter's pixel to be read while a round
 * goes out. Chained as plain tasks, the steps would all run before the loop polled again.
 */
class LoopTurnsTest {
  private static final int STEPS = 200;
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void bytesThatArriveDuringAChainAreReadBeforeTheChainEnds() throws Exception {
    AtomicInteger step = new AtomicInteger();
    CompletableFuture<Integer> readAtStep = new CompletableFuture<>();
    CompletableFuture<Context> connected = new CompletableFuture<>();
    NetServer server = vertx.createNetServer().connectHandler(s -> {
      s.handler(b -> readAtStep.complete(step.get()));
      connected.complete(Vertx.currentContext());
    });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try (Socket client = new Socket("127.0.0.1", server.actualPort())) {
      Context context = connected.get(10, TimeUnit.SECONDS);
      LoopTurns turns = new LoopTurns(context);
      OutputStream out = client.getOutputStream();
      CompletableFuture<Void> chainDone = new CompletableFuture<>();
      Runnable[] chain = new Runnable[1];
      chain[0] = () -> {
        int n = step.incrementAndGet();
        if (n == 1) {
          try {
            // On loopback the bytes are in the server's receive queue when the write returns.
            out.write(new byte[] {1, 2, 3});
            out.flush();
          } catch (Exception e) {
            chainDone.completeExceptionally(e);
            return;
          }
        }
        if (n < STEPS) {
          turns.next(chain[0]);
        } else {
          chainDone.complete(null);
        }
      };
      context.runOnContext(v -> chain[0].run());
      chainDone.get(10, TimeUnit.SECONDS);
      assertThat(readAtStep.get(10, TimeUnit.SECONDS))
          .as("the step during which the loop read the bytes written at step 1 (of %d)", STEPS)
          .isLessThan(10);
    }
  }

  @Test
  void stepsRunInTheOrderTheyWereHandedOver() throws Exception {
    Context context = vertx.getOrCreateContext();
    LoopTurns turns = new LoopTurns(context);
    StringBuilder order = new StringBuilder();
    CompletableFuture<String> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      for (int i = 0; i < 5; i++) {
        int k = i;
        turns.next(() -> order.append(k));
      }
      turns.next(() -> done.complete(order.toString()));
    });
    assertThat(done.get(10, TimeUnit.SECONDS)).isEqualTo("01234");
  }
}
