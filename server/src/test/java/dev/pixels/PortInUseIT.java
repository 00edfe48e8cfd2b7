package dev.pixels;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real jar started on a taken port: what `make local-dev` run twice shows. */
class PortInUseIT {

  @Test
  void theJarOnATakenPortPrintsOneLineNamingThePortAndExitsNonZeroWithoutOpeningTheStore() throws Exception {
    Path dir = Files.createTempDirectory("pixels-port-in-use-it");
    Path dataDir = dir.resolve("data");
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder builder = new ProcessBuilder(java, "-jar", System.getProperty("pixels.jar"))
          .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile());
      builder.environment().putAll(Map.of("PORT", Integer.toString(port), "HOST", "127.0.0.1",
          "STORAGE", "embedded", "DATA_DIR", dataDir.toString()));
      Process process = builder.start();
      try {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the second server exits").isTrue();
      } finally {
        process.destroyForcibly();
      }
      List<String> output = Files.readAllLines(dir.resolve("out.log"), StandardCharsets.UTF_8).stream()
          .filter(line -> !line.isBlank()).toList();
      assertThat(process.exitValue()).isNotZero();
      assertThat(output).as("everything the server printed").hasSize(1);
      assertThat(output.get(0)).contains("port " + port, "already in use", "PORT=");
    }
    assertThat(dataDir.resolve("pixels.db")).doesNotExist();
  }
}
