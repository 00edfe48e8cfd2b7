package dev.pixels.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while clients paint without pause: the jar stops within its deadline, every client gets
 * 1001, and after a restart on the same data directory the stored pixels are exactly the acked
 * ones: no acked pixel lost, and none stored that its painter was not told about.
 */
class GracefulShutdownIT {
  private static final int SIDE = 200;
  private static final int CLIENTS = 4;
  private static final long SHUTDOWN_TIMEOUT_MS = 10_000;

  private final HttpClient http = HttpClient.newHttpClient();

  /** One pixel a client sent: where, and the palette index it asked for. */
  private record Painted(int x, int y, int color) {}

  private static Process startJar(Path dataDir, Path portFile, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", System.getProperty("pixels.jar"));
    Map<String, String> env = builder.environment();
    env.put("PORT", "0");
    env.put("HOST", "127.0.0.1");
    env.put("PORT_FILE", portFile.toString());
    env.put("DATA_DIR", dataDir.toString());
    env.put("STORAGE", "embedded");
    env.put("CANVAS_WIDTH", Integer.toString(SIDE));
    env.put("CANVAS_HEIGHT", Integer.toString(SIDE));
    env.put("CANVAS_SNAPSHOT_MAX_AGE_MS", "0");
    env.put("LOG_FORMAT", "json");
    env.put("SHUTDOWN_TIMEOUT_MS", Long.toString(SHUTDOWN_TIMEOUT_MS));
    // Limits off: this test is about shutdown, so the only refusal it expects is "unavailable".
    env.put("RATE_LIMIT_PER_SECOND", "0");
    env.put("RATE_LIMIT_PER_MINUTE", "0");
    env.put("RATE_LIMIT_IP_PER_SECOND", "0");
    env.put("REST_LIMIT_CANVAS_PER_MINUTE", "0");
    env.put("WS_MAX_MESSAGES_PER_SECOND", "0");
    builder.redirectOutput(log.toFile()).redirectError(log.resolveSibling(log.getFileName() + ".err").toFile());
    return builder.start();
  }

  private static int awaitPort(Process process, Path portFile) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.exists(portFile)) {
        return Integer.parseInt(Files.readString(portFile).trim());
      }
      assertThat(process.isAlive()).as("the server process is running").isTrue();
      Thread.sleep(50);
    }
    throw new AssertionError("the server did not write " + portFile);
  }

  private HttpResponse<byte[]> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void sigtermWhilePaintingKeepsEveryAckedPixelStoresNothingUnackedAndClosesClientsWith1001() throws Exception {
    Path dir = Files.createTempDirectory("pixels-shutdown-it");
    Path dataDir = dir.resolve("data");
    Process first = startJar(dataDir, dir.resolve("port1"), dir.resolve("first.log"));
    List<WsClient> clients = new ArrayList<>();
    List<Map<String, Painted>> sent = new ArrayList<>();
    long sigtermAt;
    try {
      int port = awaitPort(first, dir.resolve("port1"));
      JsonArray colors = new JsonObject(new String(get(port, "/palette").body(), StandardCharsets.UTF_8))
          .getJsonArray("colors");
      for (int c = 0; c < CLIENTS; c++) {
        WsClient client = WsClient.connect(port, "/ws");
        client.next("canvas:state");
        clients.add(client);
        sent.add(new HashMap<>());
      }

      // Each pixel goes to a coordinate of its own, so the stored canvas tells exactly which were kept.
      int next = 0;
      sigtermAt = 0;
      long paintUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      long signalAfter = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
      while (System.nanoTime() < paintUntil && next < SIDE * SIDE) {
        boolean anyOpen = false;
        for (int c = 0; c < CLIENTS; c++) {
          WsClient client = clients.get(c);
          if (client.isClosed()) {
            continue;
          }
          anyOpen = true;
          int color = 1 + next % (colors.size() - 1);
          Painted p = new Painted(next % SIDE, next / SIDE, color);
          sent.get(c).put(client.paint(p.x(), p.y(), colors.getString(color)), p);
          next++;
        }
        if (!anyOpen) {
          break;
        }
        if (sigtermAt == 0 && System.nanoTime() > signalAfter) {
          sigtermAt = System.nanoTime();
          first.destroy(); // SIGTERM
        }
        Thread.sleep(1);
      }
      assertThat(sigtermAt).as("SIGTERM was sent while painting").isPositive();
      assertThat(first.waitFor(SHUTDOWN_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS)).as("exited").isTrue();
      long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigtermAt);
      assertThat(stopMillis).as("time from SIGTERM to exit").isLessThan(SHUTDOWN_TIMEOUT_MS);
    } finally {
      first.destroyForcibly();
    }

    Map<Painted, Long> acked = new HashMap<>();
    Set<Painted> unanswered = new HashSet<>();
    int rejectedUnavailable = 0;
    for (int c = 0; c < CLIENTS; c++) {
      WsClient client = clients.get(c);
      assertThat(client.closeCode()).as("close code of client %d", c).isEqualTo((short) 1001);
      assertThat(client.closeReason()).contains("shutting down");
      Map<String, Painted> mine = new HashMap<>(sent.get(c));
      for (JsonObject frame : client.unread(Duration.ofMillis(100))) {
        String type = frame.getString("type");
        if ("pixel:ack".equals(type) || "pixel:reject".equals(type)) {
          Painted p = mine.remove(frame.getJsonObject("data").getString("id"));
          assertThat(p).as("an answer to a pixel this client sent, once").isNotNull();
          if ("pixel:ack".equals(type)) {
            acked.put(p, frame.getJsonObject("data").getLong("seq"));
          } else {
            assertThat(frame.getJsonObject("data").getString("reason")).isEqualTo("unavailable");
            rejectedUnavailable++;
          }
        }
      }
      unanswered.addAll(mine.values());
      client.close();
    }
    assertThat(acked).as("pixels acked before the shutdown").hasSizeGreaterThan(100);
    assertThat(new HashSet<>(acked.values())).as("distinct seqs").hasSize(acked.size());

    List<String> logLines = Files.readAllLines(dir.resolve("first.log"));
    assertThat(logLines).isNotEmpty().allSatisfy(line -> new JsonObject(line));
    assertThat(logLines).anySatisfy(line -> {
      JsonObject json = new JsonObject(line);
      assertThat(json.getString("message")).isEqualTo("connection closed");
      assertThat(json.getString("closeCode")).isEqualTo("1001");
      assertThat(json.getString("connectionId")).isNotBlank();
    });

    Process second = startJar(dataDir, dir.resolve("port2"), dir.resolve("second.log"));
    try {
      int port = awaitPort(second, dir.resolve("port2"));
      HttpResponse<byte[]> canvas = get(port, "/canvas");
      assertThat(canvas.statusCode()).isEqualTo(200);
      byte[] bitmap = canvas.body();
      long seq = Long.parseLong(canvas.headers().firstValue("X-Canvas-Seq").orElseThrow());

      assertThat(seq).as("stored seq = acked pixels").isEqualTo(acked.size());
      for (Map.Entry<Painted, Long> e : acked.entrySet()) {
        Painted p = e.getKey();
        assertThat(bitmap[p.y() * SIDE + p.x()] & 0xff).as("acked pixel %s (seq %d)", p, e.getValue())
            .isEqualTo(p.color());
      }
      int storedButNotAcked = 0;
      for (int i = 0; i < bitmap.length; i++) {
        if (bitmap[i] != 0 && !acked.containsKey(new Painted(i % SIDE, i / SIDE, bitmap[i] & 0xff))) {
          storedButNotAcked++;
        }
      }
      assertThat(storedButNotAcked).as("stored pixels no painter was told about").isZero();
      System.out.printf("shutdown IT: %d acked, %d rejected unavailable, %d unanswered (sent after close)%n",
          acked.size(), rejectedUnavailable, unanswered.size());
    } finally {
      second.destroy();
      second.waitFor(15, TimeUnit.SECONDS);
      second.destroyForcibly();
    }
  }
}
