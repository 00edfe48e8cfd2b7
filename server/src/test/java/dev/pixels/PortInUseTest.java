package dev.pixels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A second server on a port that is already taken stops with one clear line, before touching the store. */
class PortInUseTest {

  @Test
  void aTakenPortStopsStartUpWithOneLineNamingThePortAndHowToPickAnotherBeforeTheStoreIsOpened() throws Exception {
    Path dataDir = Files.createTempDirectory("pixels-port-in-use").resolve("data");
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Config config = Config.fromEnvironment(Map.of("PORT", Integer.toString(port), "HOST", "127.0.0.1",
          "STORAGE", "embedded", "DATA_DIR", dataDir.toString(), "ADMIN_TOKEN", "test-admin-token-0123456789"));

      assertThatThrownBy(() -> PixelsServer.start(config).close())
          .isInstanceOf(ListenAddress.CannotListenException.class)
          .hasMessageContaining("port " + port)
          .hasMessageContaining("already in use")
          .hasMessageContaining("PORT=")
          .hasMessageNotContaining("\n");
    }
    assertThat(dataDir.resolve("pixels.db")).as("the store of the first instance is never opened").doesNotExist();
  }
}
