package dev.pixels.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A server binary started by a test on a free loopback port and stopped with it. A missing binary
 * fails the test with a message saying what to install: these tests must not skip silently.
 */
final class ExternalProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path logFile;

  private ExternalProcess(Process process, int port, Path logFile) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
  }

  /** Starts {@code command} (with {@code {port}} replaced) and waits until the port accepts connections. */
  static ExternalProcess start(String what, String install, List<String> command, Path workDir) {
    return start(what, install, command, workDir, freePort());
  }

  /** Like {@link #start(String, String, List, Path)} on a given port. */
  static ExternalProcess start(String what, String install, List<String> command, Path workDir, int port) {
    if (!onPath(command.get(0))) {
      throw new IllegalStateException(what + " needs `" + command.get(0) + "` on the PATH; " + install);
    }
    try {
      Path log = java.nio.file.Files.createTempFile(what.replace(' ', '-'), ".log");
      List<String> withPort = command.stream().map(a -> a.replace("{port}", Integer.toString(port))).toList();
      Process p = new ProcessBuilder(withPort).directory(workDir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      ExternalProcess started = new ExternalProcess(p, port, log);
      started.awaitListening(what, Duration.ofSeconds(20));
      return started;
    } catch (IOException e) {
      throw new IllegalStateException("could not start " + what + ": " + e.getMessage(), e);
    }
  }

  private void awaitListening(String what, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(what + " exited with " + process.exitValue() + "; see " + logFile);
      }
      try (Socket probe = new Socket("127.0.0.1", port)) {
        if (probe.isConnected()) {
          return;
        }
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    close();
    throw new IllegalStateException(what + " did not listen on port " + port + " within " + timeout + "; see " + logFile);
  }

  int port() {
    return port;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean onPath(String binary) {
    if (binary.contains("/")) {
      return Path.of(binary).toFile().canExecute();
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Path.of(dir, binary).toFile().canExecute()) {
        return true;
      }
    }
    return false;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
