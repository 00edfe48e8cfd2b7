package dev.pixels.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pixels.testing.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports larger than the server's heap and socket buffers: streamed whole from a server with a
 * small heap; to clients that read slowly or not at all, the server waits for them instead of
 * queueing the export, bounds how many stream at once, and cuts off one that stalls.
 */
class LargeExportsTest {
  private static final int ROWS = 400_000;
  private static final String ADMIN = TestServer.ADMIN_TOKEN;
  /** The heap of the server that exports more than it. */
  private static final int HEAP_MIB = 24;
  /**
   * The canvas side: small, so that what the server holds per pixel (the canvas, its pixel index)
   * fits beside the export in {@link #HEAP_MIB}, while the log is larger than that heap.
   */
  private static final int SIDE = 256;
  @TempDir
  static Path template;
  @TempDir
  static Path copies;
  private static byte[] painted;

  @BeforeAll
  static void writeLog() throws IOException {
    painted = BigLog.write(template, ROWS, 1_000, SIDE);
  }

  private static Path copyOfLog() throws IOException {
    Path dir = Files.createTempDirectory(copies, "data");
    try (var files = Files.list(template)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().endsWith(".lock")) {
          Files.copy(f, dir.resolve(f.getFileName()));
        }
      }
    }
    return dir;
  }

  private static TestServer serverOnCopy(Map<String, String> env) throws IOException {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("STORAGE", "embedded");
    all.put("CANVAS_WIDTH", String.valueOf(SIDE));
    all.put("CANVAS_HEIGHT", String.valueOf(SIDE));
    all.put("DATA_DIR", copyOfLog().toString());
    return TestServer.start(all);
  }

  @Test
  void anExportOfMoreThanTheServersHeapStreamsWholeFromAServerWithASmallHeap() throws Exception {
    Path dir = copyOfLog();
    Path portFile = dir.resolve("port");
    Path log = dir.resolve("server.log");
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx" + HEAP_MIB + "m", "-XX:MaxDirectMemorySize=16m", "-cp",
        System.getProperty("java.class.path"), "dev.pixels.Main").redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(Map.of("STORAGE", "embedded", "DATA_DIR", dir.toString(), "PORT", "0", "HOST",
        "127.0.0.1", "PORT_FILE", portFile.toString(), "ADMIN_TOKEN", ADMIN, "SESSION_SECRET", "0123456789abcdef0",
        "CANVAS_WIDTH", String.valueOf(SIDE), "CANVAS_HEIGHT", String.valueOf(SIDE)));
    Process server = builder.start();
    try {
      Await.until(() -> Files.exists(portFile) || !server.isAlive(), "the server starts");
      assertThat(server.isAlive()).as("the server runs in " + HEAP_MIB + " MiB").isTrue();
      int port = Integer.parseInt(Files.readString(portFile).trim());
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + PlacementExport.PATH)).header("Authorization", "Bearer " + ADMIN).timeout(Duration.ofSeconds(120))
          .build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      long csvBytes = 0;
      long rows = -1;
      byte[] replayed = new byte[SIDE * SIDE];
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(r.body()),
          StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          csvBytes += line.length() + 1;
          if (rows++ >= 0) {
            String[] f = line.split(",", 6);
            replayed[Integer.parseInt(f[3]) * SIDE + Integer.parseInt(f[2])] = (byte) Integer.parseInt(f[4]);
          }
        }
      }
      assertThat(rows).isEqualTo(ROWS);
      assertThat(csvBytes).as("the range is larger than the server's heap").isGreaterThan(HEAP_MIB * 1024L * 1024L);
      assertThat(replayed).isEqualTo(painted);
      assertThat(server.isAlive()).isTrue();
      assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
  }

  /** True once an export thread waits for its client to take bytes already handed over. */
  private static boolean anExportWaitsForItsClient() {
    for (var e : Thread.getAllStackTraces().entrySet()) {
      if (e.getKey().getName().startsWith("pixels-export") && Arrays.stream(e.getValue())
          .anyMatch(f -> f.getClassName().endsWith("ResponseStream") && f.getMethodName().equals("send"))
          && Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().endsWith("Semaphore"))) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aClientThatStopsReadingPausesItsExportAndAFurtherOneIsAnswered503() throws Exception {
    try (TestServer server = serverOnCopy(Map.of("EXPORT_MAX_CONCURRENT", "1"))) {
      try (HttpStream stalled = new HttpStream(server.port(), PlacementExport.PATH, ADMIN)) {
        Await.until(LargeExportsTest::anExportWaitsForItsClient, "the export waits for its reader");

        HttpResponse<byte[]> second = server.get(PlacementExport.PATH, "Authorization", "Bearer " + ADMIN);
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.headers().firstValue("Retry-After")).isPresent();

        assertThat(stalled.head()).startsWith("HTTP/1.1 200");
        List<String> lines = Csv.lines(stalled.chunkedBody());
        assertThat(lines).hasSize(ROWS + 1);
        byte[] replayed = new byte[SIDE * SIDE];
        Csv.replay(lines, replayed, SIDE);
        assertThat(replayed).isEqualTo(painted);
      }
      Await.until(() -> server.get(PlacementExport.PATH + "?to=" + (System.currentTimeMillis() - 3_600_000L - ROWS + 10),
          "Authorization", "Bearer " + ADMIN).statusCode() == 200, "the slot is free again");
    }
  }

  @Test
  void anExportWhoseClientReadsNothingForTheStallTimeoutIsCutOffAndFreesItsSlot() throws Exception {
    try (TestServer server = serverOnCopy(Map.of("EXPORT_MAX_CONCURRENT", "1", "EXPORT_STALL_TIMEOUT_MS", "300"))) {
      try (HttpStream stalled = new HttpStream(server.port(), PlacementExport.PATH, ADMIN)) {
        Await.until(LargeExportsTest::anExportWaitsForItsClient, "the export waits for its reader");
        Await.until(() -> server.get(PlacementExport.PATH + "?to=" + (System.currentTimeMillis() - 3_600_000L - ROWS + 10),
            "Authorization", "Bearer " + ADMIN).statusCode() == 200, "the stalled export's slot is freed");
        assertThat(stalled.head()).startsWith("HTTP/1.1 200");
        assertThatThrownBy(stalled::chunkedBody).isInstanceOf(IOException.class);
      }
    }
  }
}
