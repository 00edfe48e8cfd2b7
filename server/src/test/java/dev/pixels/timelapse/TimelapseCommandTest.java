package dev.pixels.timelapse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestClock;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pixels.jar timelapse} on a data directory, beside the server that holds it and after it stopped. */
class TimelapseCommandTest {
  private final TestClock clock = TestClock.stoppedNow();

  private record Run(int status, String out, String err) {}

  private static Run run(boolean terminal, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = TimelapseCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), terminal);
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Paints (1,1) red then (2,2) black a second apart on an embedded server in {@code data}; returns the start time. */
  private Instant paint(TestServer server) {
    Instant start = clock.instant();
    Api api = new Api(server);
    String token = Api.json(api.post("/session", null, null)).getString("token");
    try (WsClient client = server.connect("?token=" + token)) {
      client.next("canvas:state");
      clock.advance(Duration.ofSeconds(1));
      assertThat(client.answerTo(client.paint(1, 1, "#E50000")).getString("type")).isEqualTo("pixel:ack");
      clock.advance(Duration.ofSeconds(1));
      assertThat(client.answerTo(client.paint(2, 2, "#000000")).getString("type")).isEqualTo("pixel:ack");
    }
    return start;
  }

  @Test
  void theCommandRendersAGifOfADataDirectoryEvenWhileAServerHoldsIt(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("data");
    Path gif = tmp.resolve("event.gif");
    try (TestServer server = TestServer.start(Map.of("STORAGE", "embedded", "DATA_DIR", data.toString()), clock)) {
      Instant start = paint(server);
      byte[] dbBefore = Files.readAllBytes(data.resolve("pixels.db"));
      Run run = run(false, "--data", data.toString(), "--from", start.toString(),
          "--to", start.plusSeconds(2).toString(), "--every-millis", "1000", "--region", "0,0,4,4", "--scale", "2",
          "--out", gif.toString());
      assertThat(run.status()).as(run.err()).isZero();
      assertThat(run.out()).contains("wrote " + gif).contains("3 frames").contains("2 pixels placed");
      // Not a terminal: plain lines, no carriage returns.
      assertThat(run.err()).contains("timelapse: 0 %").contains("timelapse: 100 %").doesNotContain("\r");
      assertThat(Files.readAllBytes(data.resolve("pixels.db"))).as("the database is not written").isEqualTo(dbBefore);
      // The server still paints: the command took no lock and left nothing in its way.
      assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }
    GifPlayback playback = GifPlayback.of(Files.readAllBytes(gif));
    assertThat(playback.width).isEqualTo(10);
    assertThat(playback.pictures).hasSize(3);
    assertThat(playback.rgb(0, 1, 1, 2)).isEqualTo(0xFFFFFF);
    assertThat(playback.rgb(1, 1, 1, 2)).isEqualTo(0xE50000);
    assertThat(playback.rgb(1, 2, 2, 2)).isEqualTo(0xFFFFFF);
    assertThat(playback.rgb(2, 2, 2, 2)).isEqualTo(0x000000);
    assertThat(tmp.resolve("event.gif.part")).doesNotExist();
  }

  @Test
  void onATerminalTheProgressIsABarRedrawnInPlace(@TempDir Path tmp) {
    Path data = tmp.resolve("data");
    Instant start;
    try (TestServer server = TestServer.start(Map.of("STORAGE", "embedded", "DATA_DIR", data.toString()), clock)) {
      start = paint(server);
    }
    Run run = run(true, "--data", data.toString(), "--from", start.toString(), "--to", start.plusSeconds(2).toString(),
        "--out", tmp.resolve("t.gif").toString());
    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.err()).contains("\r[").contains("] 100 %");
  }

  @Test
  void badArgumentsExitWith2AndSayWhy(@TempDir Path tmp) {
    Run missing = run(false, "--from", "2025-01-01T00:00:00Z");
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("--data is required");
    Run unknown = run(false, "--colour", "red");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown option --colour").contains("usage:");
    Run noStore = run(false, "--data", tmp.toString(), "--from", "2025-01-01T00:00:00Z", "--to", "2025-01-01T01:00:00Z",
        "--out", tmp.resolve("x.gif").toString());
    assertThat(noStore.status()).isEqualTo(1);
    assertThat(noStore.err()).contains("pixels.db does not exist");
  }
}
