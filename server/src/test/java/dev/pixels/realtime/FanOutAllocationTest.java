package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.CanvasEditor;
import dev.pixels.canvas.Tool;
import dev.pixels.testing.RawWebSocket;
import dev.pixels.testing.TestServer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Delivering a broadcast frame costs the server's event loops no encoding, no buffer and no promise
 * of its own per client: only the duplicate of the shared frame that the transport holds while it
 * writes it, and the NIO views the transport takes of it (Netty does not use {@code
 * sun.misc.Unsafe} on Java 25, so a direct buffer has no memory address to write from). Measured
 * with the JVM's per-thread allocation counters of the server's event loops over thousands of
 * frames, after a warm-up that lets the JIT compile the path. The clients are plain sockets read
 * on threads of their own, so only the server's work is counted. Encoding each frame per connection, as Vert.x
 * does, cost about 365 bytes per frame here; entering the pipeline at its tail, about 155.
 */
class FanOutAllocationTest {
  private static final int CLIENTS = 40;
  private static final int WARM_UP_BATCHES = 600;
  private static final int BATCHES = 300;
  private static final Pattern TO_SEQ = Pattern.compile("\"toSeq\":(\\d+)");

  /**
   * What the readers count: frames received, and a latch each client counts down once it has seen
   * {@code target}. A loop that falls behind merges batches, so frames are counted, not batches.
   */
  private static final class Phase {
    final AtomicLong frames = new AtomicLong();
    volatile long target = Long.MAX_VALUE;
    volatile CountDownLatch reached = new CountDownLatch(0);

    void expect(long seq, int clients) {
      reached = new CountDownLatch(clients);
      target = seq;
    }

    void seen(long toSeq, long before) {
      frames.incrementAndGet();
      if (before < target && toSeq >= target) {
        reached.countDown();
      }
    }

    void await() throws InterruptedException {
      assertThat(reached.await(60, TimeUnit.SECONDS)).as("every client saw seq %d", target).isTrue();
    }
  }

  private static long[] serverLoopThreadIds() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("vert.x-eventloop-thread"))
        .mapToLong(Thread::threadId)
        .toArray();
  }

  private static long allocatedBytes(long[] threads) {
    long sum = 0;
    for (long b : ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(threads)) {
      sum += Math.max(0, b);
    }
    return sum;
  }

  @Test
  void eachDeliveredBroadcastFrameAllocatesOnlyTheTransportsViewsOfTheSharedFrame() throws Exception {
    try (TestServer server = TestServer.start(Map.of("BATCH_INTERVAL_MS", "2"))) {
      Phase phase = new Phase();
      List<RawWebSocket> clients = new ArrayList<>();
      List<Thread> readers = new ArrayList<>();
      try {
        for (int i = 0; i < CLIENTS; i++) {
          RawWebSocket client = RawWebSocket.connect(server.port(), "/ws", 1 << 20);
          assertThat(client.read().text()).contains("canvas:state");
          clients.add(client);
          readers.add(Thread.ofPlatform().daemon().start(() -> {
            long last = 0;
            try {
              while (true) {
                RawWebSocket.Frame f = client.read();
                if (f.opcode() == 8) {
                  return;
                }
                Matcher m = TO_SEQ.matcher(f.text());
                if (f.text().contains("pixel:bulk_update") && m.find()) {
                  long toSeq = Long.parseLong(m.group(1));
                  phase.seen(toSeq, last);
                  last = toSeq;
                }
              }
            } catch (Exception closed) {
              // the test is over
            }
          }));
        }
        long[] loops = serverLoopThreadIds();
        assertThat(loops).isNotEmpty();

        long seq0 = server.server().broadcaster().lastSeq();
        phase.expect(seq0 + WARM_UP_BATCHES, CLIENTS);
        paint(server, WARM_UP_BATCHES, 0);
        phase.await();
        long framesBefore = phase.frames.get();
        long before = allocatedBytes(loops);
        phase.expect(seq0 + WARM_UP_BATCHES + BATCHES, CLIENTS);
        paint(server, BATCHES, WARM_UP_BATCHES);
        phase.await();
        long allocated = allocatedBytes(loops) - before;
        long frames = phase.frames.get() - framesBefore;
        double perFrame = (double) allocated / frames;
        System.out.printf("event loops allocated %d bytes for %d delivered frames: %.1f bytes per frame%n",
            allocated, frames, perFrame);

        // The duplicate and the NIO views of it; the rest is per batch (the task that takes a batch
        // to a loop, merging), spread over the clients. A promise per write, as the idle handler
        // makes when a frame passes it, would be over the limit.
        assertThat(perFrame).as("bytes allocated by the event loops per delivered frame").isLessThan(150);
      } finally {
        for (RawWebSocket client : clients) {
          client.close();
        }
        for (Thread reader : readers) {
          reader.join(TimeUnit.SECONDS.toMillis(5));
        }
      }
    }
  }

  /** Paints {@code batches} single pixels, one batch each, waiting for each to be committed. */
  private static void paint(TestServer server, int batches, int offset) {
    for (int i = 0; i < batches; i++) {
      int n = offset + i;
      server.server().canvasEditor()
          .apply(List.of(new CanvasEditor.Edit(n % 900, n / 900, 1 + n % 30)), "test", Tool.BRUSH).join();
    }
  }
}
