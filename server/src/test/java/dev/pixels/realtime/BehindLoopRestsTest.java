package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Palette;
import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import dev.pixels.identity.Identity;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An event loop that falls behind (batches arrive while a round goes out) rests as long as the
 * round took before it starts the next, so broadcasting takes at most half of its time; what
 * arrives meanwhile reaches every client, merged into fewer frames. The broadcaster's clock is
 * fake and says every round took {@link #ROUND}; the rest is real time on the loop.
 */
class BehindLoopRestsTest {
  private static final Duration ROUND = Duration.ofMillis(60);
  private static final int BATCHES = 6;
  private static final Pattern TO_SEQ = Pattern.compile("\"toSeq\":(\\d+)");
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aLoopThatIsBehindRestsAsLongAsItsLastRoundTookAndStillDeliversEverySeq() throws Exception {
    // Every reading of the clock is ROUND later than the one before, so each round (one slice,
    // read at its start and end) took ROUND.
    AtomicLong fakeNanos = new AtomicLong();
    Broadcaster broadcaster = new Broadcaster(new BulkUpdateCodec(Palette.defaultPalette()), 10_000, 1 << 20, 0,
        "start", () -> fakeNanos.addAndGet(ROUND.toNanos()));
    List<Long> roundEnds = new CopyOnWriteArrayList<>();
    AtomicLong published = new AtomicLong();
    // Each round ends with the next batch already waiting, as on a loop that keeps falling behind.
    broadcaster.listener(new Broadcaster.Listener() {
      @Override
      public void delivered(int clients, long nanos) {
        roundEnds.add(System.nanoTime());
        if (published.get() < BATCHES) {
          broadcaster.publish(batch(published.incrementAndGet()));
        }
      }
    });

    CompletableFuture<Void> joined = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      var connection = request.connection();
      request.toWebSocket().onSuccess(ws -> {
        Session session = new Session("c1", ws, connection, Vertx.currentContext(),
            new Identity("u1", Identity.Role.ANONYMOUS, "127.0.0.1"), FrameGuard.unmetered(10), s -> {},
            Duration.ofSeconds(5));
        broadcaster.join(session, 0, state -> {});
        joined.complete(null);
      });
    });
    server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    List<Long> toSeqs = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> sawLast = new CompletableFuture<>();
    WebSocketClient client = vertx.createWebSocketClient();
    client.connect(server.actualPort(), "127.0.0.1", "/").onSuccess(ws -> ws.textMessageHandler(text -> {
      Matcher m = TO_SEQ.matcher(text);
      if (m.find()) {
        long toSeq = Long.parseLong(m.group(1));
        toSeqs.add(toSeq);
        if (toSeq == BATCHES) {
          sawLast.complete(null);
        }
      }
    }));
    joined.get(10, TimeUnit.SECONDS);

    broadcaster.publish(batch(published.incrementAndGet()));
    sawLast.get(20, TimeUnit.SECONDS);

    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < roundEnds.size(); i++) {
      gaps.add(TimeUnit.NANOSECONDS.toMillis(roundEnds.get(i) - roundEnds.get(i - 1)));
    }
    assertThat(gaps).as("milliseconds between the ends of consecutive rounds").isNotEmpty()
        .allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(ROUND.toMillis()));
    assertThat(toSeqs).as("every seq reached the client, in order").last().isEqualTo((long) BATCHES);
    assertThat(toSeqs).isSorted();
  }

  private static CommittedBatch batch(long seq) {
    return new CommittedBatch(List.of(new PixelChange(seq, (int) seq, 0, 1, 0, "u1", 0, Tool.BRUSH)), "h" + seq, 0);
  }
}
