package dev.pixels.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Palette;
import dev.pixels.testing.CanvasReplica;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResumeTest {
  private static final Palette PALETTE = Palette.defaultPalette();

  private static void paint(TestServer server, int count, int offset) {
    try (WsClient painter = server.connect()) {
      for (int i = 0; i < count; i++) {
        painter.answerTo(painter.paint((offset + i) % 50, (offset + i) / 50, PALETTE.color(1 + i % 31)));
      }
    }
  }

  @Test
  void resumingWithSinceSeqReplaysExactlyTheMissedPixelsThenCarriesOnLive() {
    try (TestServer server = TestServer.start(Map.of("CANVAS_WIDTH", "50", "CANVAS_HEIGHT", "50"))) {
      paint(server, 5, 0);
      byte[] atFive = server.get("/canvas").body();
      paint(server, 7, 100);

      try (WsClient resumed = server.connect("?sinceSeq=5")) {
        JsonObject state = resumed.next("canvas:state").getJsonObject("data");
        assertThat(state.getLong("seq")).isEqualTo(12);
        assertThat(state.containsKey("resync")).isFalse();
        CanvasReplica replica = new CanvasReplica(50, 50, atFive, 5, PALETTE);
        while (replica.seq() < 12) {
          replica.apply(resumed.next("pixel:bulk_update"));
        }
        paint(server, 3, 200);
        while (replica.seq() < 15) {
          replica.apply(resumed.next("pixel:bulk_update"));
        }
        assertThat(replica.bitmap()).isEqualTo(server.get("/canvas").body());
        assertThat(resumed.unread(Duration.ofMillis(200))).noneMatch(m -> "pixel:bulk_update".equals(m.getString("type")));
      }
    }
  }

  @Test
  void resumingFromTheCurrentSeqSendsNothingButLiveUpdates() {
    try (TestServer server = TestServer.start()) {
      paint(server, 2, 0);
      try (WsClient resumed = server.connect("?sinceSeq=2")) {
        resumed.next("canvas:state");
        paint(server, 1, 10);
        JsonObject bulk = resumed.next("pixel:bulk_update").getJsonObject("data");
        assertThat(bulk.getLong("fromSeq")).isEqualTo(3);
      }
    }
  }

  @Test
  void resumingFromBeforeTheRetainedPixelsAsksTheClientToResync() {
    try (TestServer server = TestServer.start(Map.of("RESUME_BUFFER_PIXELS", "3"))) {
      for (int i = 0; i < 6; i++) {
        paint(server, 1, i); // one pixel per batch, so the buffer drops whole batches
      }
      try (WsClient resumed = server.connect("?sinceSeq=1")) {
        JsonObject state = resumed.next("canvas:state").getJsonObject("data");
        assertThat(state.getBoolean("resync")).isTrue();
        assertThat(state.getLong("seq")).isEqualTo(6);
      }
    }
  }

  @Test
  void aSinceSeqFromTheFutureAsksTheClientToResync() {
    try (TestServer server = TestServer.start()) {
      try (WsClient resumed = server.connect("?sinceSeq=99")) {
        assertThat(resumed.next("canvas:state").getJsonObject("data").getBoolean("resync")).isTrue();
      }
    }
  }
}
