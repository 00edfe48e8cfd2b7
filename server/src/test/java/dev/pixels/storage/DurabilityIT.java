package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Canvas;
import dev.pixels.canvas.Palette;
import dev.pixels.testing.PixelsJar;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the real server process: an acknowledged pixel is never lost, and the canvas
 * comes back as exactly the state of some seq at or after the last ack.
 */
class DurabilityIT {
  private static final int SIDE = 200;
  private static final Palette PALETTE = Palette.defaultPalette();

  private static Map<String, String> env(Path dataDir) {
    // Rate limits off: these tests paint as fast as the server acks, from one address.
    return Map.ofEntries(Map.entry("RATE_LIMIT_PER_SECOND", "0"), Map.entry("RATE_LIMIT_PER_MINUTE", "0"),
        Map.entry("RATE_LIMIT_IP_PER_SECOND", "0"), Map.entry("REST_LIMIT_CANVAS_PER_MINUTE", "0"),
        Map.entry("STORAGE", "embedded"), Map.entry("DATA_DIR", dataDir.toString()),
        Map.entry("CANVAS_WIDTH", Integer.toString(SIDE)), Map.entry("CANVAS_HEIGHT", Integer.toString(SIDE)),
        Map.entry("CANVAS_SNAPSHOT_MAX_AGE_MS", "0"),
        // Checkpoints every half second, so recovery exercises checkpoint plus log replay.
        Map.entry("CANVAS_CHECKPOINT_INTERVAL_MS", "500"));
  }

  private record Acked(long seq, int x, int y, int color) {}

  @Test
  void aKilledServerComesBackWithTheSameBytesSeqAndHash() throws Exception {
    Path dir = Files.createTempDirectory("pixels-durability");
    HttpResponse<byte[]> before;
    try (PixelsJar server = PixelsJar.start(dir, env(dir.resolve("data")))) {
      try (WsClient painter = server.connect("")) {
        for (int i = 0; i < 300; i++) {
          painter.answerTo(painter.paint(i % SIDE, i / 7 % SIDE, PALETTE.color(1 + i % 31)));
        }
      }
      before = server.get("/canvas");
      server.kill9();
    }
    try (PixelsJar restarted = PixelsJar.start(dir, env(dir.resolve("data")))) {
      HttpResponse<byte[]> after = restarted.get("/canvas");
      assertThat(after.headers().firstValue("X-Canvas-Seq")).isEqualTo(before.headers().firstValue("X-Canvas-Seq"))
          .hasValue("300");
      assertThat(after.body()).isEqualTo(before.body());
      assertThat(after.headers().firstValue("ETag")).isEqualTo(before.headers().firstValue("ETag"));
      try (WsClient client = restarted.connect("")) {
        assertThat(client.next("canvas:state").getJsonObject("data").getString("hash"))
            .isEqualTo(Canvas.sha256Hex(before.body()));
      }
    }
  }

  @Test
  void killingTheServerMidStreamLosesNoAcknowledgedPixel() throws Exception {
    Path dir = Files.createTempDirectory("pixels-durability");
    ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
    AtomicInteger next = new AtomicInteger();
    try (PixelsJar server = PixelsJar.start(dir, env(dir.resolve("data")))) {
      AtomicBoolean painting = new AtomicBoolean(true);
      int painters = 3;
      CountDownLatch done = new CountDownLatch(painters);
      for (int p = 0; p < painters; p++) {
        Thread.ofPlatform().name("painter-" + p).start(() -> {
          try (WsClient client = server.connect("")) {
            client.next("canvas:state");
            while (painting.get()) {
              // Every pixel lands on its own coordinate, so no later pixel can hide a lost one.
              int k = next.getAndIncrement();
              int color = 1 + k % 31;
              String id = client.paint(k % SIDE, k / SIDE, PALETTE.color(color));
              JsonObject answer = client.answerTo(id);
              if ("pixel:ack".equals(answer.getString("type"))) {
                acked.add(new Acked(answer.getJsonObject("data").getLong("seq"), k % SIDE, k / SIDE, color));
              }
            }
          } catch (AssertionError | RuntimeException e) {
            // The kill cuts the connection mid-answer: expected, and only acks already received count.
          } finally {
            done.countDown();
          }
        });
      }
      while (acked.size() < 400) {
        Thread.sleep(20);
      }
      server.kill9();
      painting.set(false);
      done.await();
    }
    assertThat(acked).hasSizeGreaterThanOrEqualTo(400);
    try (PixelsJar restarted = PixelsJar.start(dir, env(dir.resolve("data")))) {
      HttpResponse<byte[]> canvas = restarted.get("/canvas");
      byte[] bitmap = canvas.body();
      long seq = Long.parseLong(canvas.headers().firstValue("X-Canvas-Seq").orElseThrow());
      long lastAck = acked.stream().mapToLong(Acked::seq).max().orElseThrow();
      assertThat(seq).isGreaterThanOrEqualTo(lastAck);
      List<Acked> lost = acked.stream().filter(a -> (bitmap[a.y() * SIDE + a.x()] & 0xFF) != a.color()).toList();
      assertThat(lost).as("acknowledged pixels missing after kill -9").isEmpty();
      // Each stored seq painted one distinct coordinate: the canvas is exactly the log's state at seq.
      long painted = 0;
      for (byte b : bitmap) {
        painted += b != 0 ? 1 : 0;
      }
      assertThat(painted).isEqualTo(seq);
      assertThat(canvas.headers().firstValue("ETag")).hasValue("\"" + Canvas.sha256Hex(bitmap) + "\"");
    }
  }
}
