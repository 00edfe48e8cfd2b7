package dev.pixels.realtime;

import dev.pixels.testing.TestServer;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/** What the slow-reader tests read from the server running in this JVM. */
final class DirectMemory {
  private DirectMemory() {}

  /**
   * Direct memory in use in this JVM, where the server runs: Netty's own count of what it
   * allocated without the JDK, if it does, plus the JDK's direct buffers.
   */
  static long used() {
    long jdk = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        jdk += pool.getMemoryUsed();
      }
    }
    return Math.max(0, PlatformDependent.usedDirectMemory()) + jdk;
  }

  /** Clients the server has sent 4000, whether or not their connections have ended yet. */
  static long slowClientCloses(TestServer server) {
    return (long) server.server().metrics().registry().counter("pixels.ws.slow.client.closes").count();
  }
}
