package dev.pixels.history;

import static dev.pixels.history.Painter.paintAcked;
import static dev.pixels.history.Painter.session;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.canvas.Palette;
import dev.pixels.cluster.EmptySharedCanvas;
import dev.pixels.testing.Api;
import dev.pixels.testing.ClusterFixture;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scrubber and the export in cluster mode: two instances, the log in DynamoDB, Redis between them. */
class ClusterHistoryTest {
  private static final int SIDE = 32;
  private static final Palette PALETTE = Palette.defaultPalette();

  @Test
  void eitherInstanceServesPointsAndAnExportThatAgreeWithTheSharedCanvas() throws Exception {
    try (ClusterFixture backends = ClusterFixture.start()) {
      EmptySharedCanvas.install(backends.redis(), SIDE, SIDE);
      Map<String, String> env = backends.env("hist-", SIDE);
      // Cluster pixels are stamped by the server's own clock: a short interval makes points while painting.
      env.put("HISTORY_POINT_INTERVAL_MS", "100");
      try (TestServer a = TestServer.start(env); TestServer b = TestServer.start(env)) {
        // One seq per acked pixel from a blank canvas at 0. Not a's own seq: after a pixel painted
        // through b, a may not have read it yet.
        long painted = 0;
        try (WsClient onA = session(a); WsClient onB = session(b)) {
          for (int i = 0; seqs(Api.json(b.get("/history")).getJsonArray("points")).size() < 3; i++) {
            assertThat(i).as("points appear while painting").isLessThan(400);
            paintAcked(i % 2 == 0 ? onA : onB, i % SIDE, i / SIDE % SIDE, PALETTE.color(1 + i % 31));
            painted++;
          }
        }
        long last = painted;
        for (TestServer server : List.of(a, b)) {
          Await.until(() -> Long.toString(last).equals(server.get("/canvas").headers().firstValue("X-Canvas-Seq")
              .orElse("")), "each instance's canvas reaches the last seq");
        }
        Await.until(() -> Csv.lines(new Api(b).get(PlacementExport.PATH, TestServer.ADMIN_TOKEN).body()).size()
            == last + 1, "the export reaches the last seq");
        List<String> lines = Csv.lines(new Api(b).get(PlacementExport.PATH, TestServer.ADMIN_TOKEN).body());
        byte[] replayed = new byte[SIDE * SIDE];
        Csv.replay(lines, replayed, SIDE);
        assertThat(replayed).isEqualTo(a.get("/canvas").body()).isEqualTo(b.get("/canvas").body());

        for (TestServer server : List.of(a, b)) {
          List<Long> points = seqs(Api.json(server.get("/history")).getJsonArray("points"));
          assertThat(points).hasSizeGreaterThanOrEqualTo(3).startsWith(0L);
          for (long seq : points) {
            byte[] expected = new byte[SIDE * SIDE];
            Csv.replay(lines.subList(0, (int) seq + 1), expected, SIDE);
            assertThat(server.get("/history/canvas/" + seq).body()).as("point " + seq).isEqualTo(expected);
          }
        }
      }
    }
  }

  private static List<Long> seqs(JsonArray points) {
    return points.stream().map(p -> ((JsonObject) p).getLong("seq")).toList();
  }
}
