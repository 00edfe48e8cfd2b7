package dev.pixels.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real fat jar ({@code target/pixels.jar}) running in a separate process, for tests of what
 * only a process can show: {@code kill -9}, SIGTERM, restarts on the same data directory.
 */
public final class PixelsJar implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private PixelsJar(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the jar with {@code env} on top of a random loopback port, and waits until it listens. */
  public static PixelsJar start(Path workDir, Map<String, String> env) throws IOException, InterruptedException {
    String jar = System.getProperty("pixels.jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("pixels.jar not found (" + jar + "); process tests run after `package`");
    }
    Files.createDirectories(workDir);
    Path portFile = Files.createTempFile(workDir, "port", ".txt");
    Files.delete(portFile);
    Path log = Files.createTempFile(workDir, "server", ".log");
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> all = new HashMap<>(Map.of("PORT", "0", "HOST", "127.0.0.1", "PORT_FILE", portFile.toString()));
    all.putAll(env);
    builder.environment().putAll(all);
    Process process = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(portFile)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("the server did not start within 60 s:\n" + Files.readString(log));
      }
      Thread.sleep(25);
    }
    return new PixelsJar(process, Integer.parseInt(Files.readString(portFile).trim()), log);
  }

  public int port() {
    return port;
  }

  public WsClient connect(String query) {
    return WsClient.connect(port, "/ws" + query);
  }

  public HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** SIGKILL: no shutdown hook, no flush; what survives is what was durable. */
  public void kill9() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, then waits for the graceful stop; returns the process's exit code. */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill9();
      throw new IllegalStateException("the server did not stop within 30 s of SIGTERM");
    }
    return process.exitValue();
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          kill9();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill9();
      }
    }
  }
}
