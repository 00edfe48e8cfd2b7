package dev.pixels;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The lines a person reads at start-up: where to open the page and where the admin token is. */
class StartupLogTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(PixelsServer.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @BeforeEach
  void capture() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
  }

  private List<String> startAndStop(Path dataDir) {
    return startAndStop(dataDir, Map.of());
  }

  private List<String> startAndStop(Path dataDir, Map<String, String> extra) {
    Map<String, String> env = new java.util.HashMap<>(Map.of("PORT", "0", "HOST", "127.0.0.1", "STORAGE", "embedded",
        "DATA_DIR", dataDir.toString()));
    env.putAll(extra);
    Config config = Config.fromEnvironment(env);
    try (PixelsServer server = PixelsServer.start(config)) {
      String port = Integer.toString(server.port());
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage)
          .map(line -> line.replace(port, "PORT")).toList();
    }
  }

  @Test
  void theListeningLineGivesAPageAddressAPersonCanOpen() throws Exception {
    List<String> lines = startAndStop(Files.createTempDirectory("pixels-log"));
    assertThat(lines).anySatisfy(line -> assertThat(line)
        .startsWith("Pixels listening on 127.0.0.1:PORT")
        .endsWith("open http://127.0.0.1:PORT/"));
  }

  @Test
  void onLinuxOnX86TheSocketsUseEpollUnlessNativeTransportIsFalse() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux")
        && System.getProperty("os.arch").equals("amd64"), "epoll ships for Linux on x86-64 only");
    assertThat(startAndStop(Files.createTempDirectory("pixels-log")))
        .anySatisfy(line -> assertThat(line).contains("event loops on epoll,"));
    assertThat(startAndStop(Files.createTempDirectory("pixels-log"), Map.of("NATIVE_TRANSPORT", "false")))
        .anySatisfy(line -> assertThat(line).contains("event loops on NIO,"));
  }

  @Test
  void theAdminTokenPathIsAbsoluteAndNormalized() throws Exception {
    Path base = Files.createTempDirectory("pixels-log");
    Path dataDir = Path.of(base + "/./data");
    List<String> lines = startAndStop(dataDir);
    String expected = base.toAbsolutePath().normalize().resolve("data").resolve("admin-token").toString();
    assertThat(lines).contains("ADMIN_TOKEN is not set; the admin token is in " + expected);
  }
}
