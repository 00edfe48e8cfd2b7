package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk under a running server, on a small tmpfs: pixels are rejected {@code
 * unavailable} while it is full and {@code /health} says 503; once space is freed painting resumes
 * without a restart, and neither the log, the canvas nor the broadcasts hold a rejected pixel.
 */
class FullDiskTest {
  @TempDir
  Path parent;
  private Path disk;
  private boolean mounted;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    disk = Files.createDirectory(parent.resolve("disk"));
    mounted = run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", disk.toString()) == 0;
    assumeTrue(mounted, "this test mounts a 3 MiB tmpfs to fill it, which needs root (CAP_SYS_ADMIN); "
        + "FullDatabaseRecoveryTest covers the same recovery without a mount");
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      assertThat(run("umount", disk.toString())).isZero();
    }
  }

  private static int run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  private static void fillUp(Path filler) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left")) {
        throw e;
      }
    }
  }

  private static int status(TestServer server, String path) {
    return server.get(path).statusCode();
  }

  private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  private record Painted(int x, int y, String color) {}

  @Test
  void paintingOnAFullDiskIsRejectedAndResumesOnceSpaceIsFreedWithNoRejectedPixelStored() throws Exception {
    Path dataDir = disk.resolve("data");
    Set<Painted> acked = new HashSet<>();
    Set<Painted> rejected = new HashSet<>();
    List<JsonObject> broadcasts;
    int next = 0;
    try (TestServer server = Painting.embedded(dataDir); WsClient painter = server.connect("");
        WsClient watcher = server.connect("")) {
      painter.next("canvas:state");
      watcher.next("canvas:state");
      next = record(painter, next, 100, acked, rejected);
      assertThat(rejected).isEmpty();

      Path filler = disk.resolve("filler");
      fillUp(filler);
      for (int round = 0; round < 5; round++) {
        int before = rejected.size();
        next = record(painter, next, 40, acked, rejected);
        assertThat(rejected).as("every pixel of round %d on the full disk is rejected", round).hasSize(before + 40);
      }
      assertThat(eventually(() -> status(server, "/health") == 503)).as("/health is 503 while commits fail").isTrue();

      Files.delete(filler);
      assertThat(eventually(() -> status(server, "/health") == 200)).as("/health recovers once space is freed")
          .isTrue();
      int resumed = acked.size();
      next = record(painter, next, 100, acked, rejected);
      assertThat(acked).as("every pixel after the space came back is acked").hasSize(resumed + 100);

      assertThat(server.server().seq()).isEqualTo(acked.size());
      byte[] canvas = server.get("/canvas").body();
      for (Painted p : rejected) {
        assertThat(canvas[p.y() * Painting.DEFAULT_WIDTH + p.x()]).as("rejected pixel %s on the canvas", p).isZero();
      }
      broadcasts = watcher.unread(Duration.ofMillis(300)).stream()
          .filter(m -> "pixel:bulk_update".equals(m.getString("type"))).map(m -> m.getJsonObject("data")).toList();
    }

    long expectedFrom = 1;
    Set<Painted> broadcast = new HashSet<>();
    for (JsonObject frame : broadcasts) {
      assertThat(frame.getLong("fromSeq")).as("broadcast seqs have no gap").isEqualTo(expectedFrom);
      JsonArray pixels = frame.getJsonArray("pixels");
      for (int i = 0; i < pixels.size(); i++) {
        JsonObject p = pixels.getJsonObject(i);
        broadcast.add(new Painted(p.getInteger("x"), p.getInteger("y"), p.getString("color")));
      }
      expectedFrom = frame.getLong("toSeq") + 1;
    }
    assertThat(broadcast).isEqualTo(acked);

    List<Long> seqs = new ArrayList<>();
    Set<Painted> stored = new HashSet<>();
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("pixels.db"));
        Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT seq, x, y, color FROM pixel_log ORDER BY seq")) {
      while (rs.next()) {
        seqs.add(rs.getLong(1));
        stored.add(new Painted(rs.getInt(2), rs.getInt(3), Painting.PALETTE.color(rs.getInt(4))));
      }
    }
    assertThat(seqs).as("the stored seqs run 1..n without a gap")
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, acked.size()).boxed().toList());
    assertThat(stored).isEqualTo(acked).doesNotContainAnyElementsOf(rejected);
  }

  /** Paints {@code n} pixels from coordinate {@code next} on, sorting them by their answer; returns the next coordinate. */
  private static int record(WsClient painter, int next, int n, Set<Painted> acked, Set<Painted> rejected) {
    List<JsonObject> answers = Painting.paint(painter, next, n);
    for (int i = 0; i < n; i++) {
      int k = next + i;
      Painted p = new Painted(k % 64, k / 64, Painting.PALETTE.color(1 + k % 31));
      if (Painting.acked(answers.get(i))) {
        acked.add(p);
      } else {
        assertThat(answers.get(i).getJsonObject("data").getString("reason")).isEqualTo("unavailable");
        rejected.add(p);
      }
    }
    return next + n;
  }
}
