package dev.pixels.chaos;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The cluster under test: one redis-server, one dynalite on a data directory, and N instances of
 * the real jar, each a separate process on a fixed free 127.0.0.1 port so a restart comes back at
 * the same address.
 */
final class Cluster implements AutoCloseable {
  /** One process the cluster owns, restartable with the same command. */
  static final class Proc {
    final String name;
    final List<String> command;
    final Map<String, String> env;
    final Path log;
    final int port;
    Process process;
    boolean stopped;

    Proc(String name, List<String> command, Map<String, String> env, Path log, int port) {
      this.name = name;
      this.command = command;
      this.env = env;
      this.log = log;
      this.port = port;
    }

    void start() {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().putAll(env);
      try {
        process = pb.start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + name, e);
      }
      stopped = false;
    }

    void kill9() throws InterruptedException {
      cont();
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }

    void signal(String sig) {
      try {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start();
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void stop() {
      signal("STOP");
      stopped = true;
    }

    void cont() {
      if (stopped) {
        signal("CONT");
        stopped = false;
      }
    }
  }

  final Path dir;
  final String adminToken = "chaos-admin-token-" + Long.toHexString(System.nanoTime());
  final Proc redis;
  final Proc dynalite;
  final List<Proc> instances = new ArrayList<>();
  final int width;
  final int height;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  Cluster(Path root, Path dir, Path jar, int instanceCount, int width, int height) throws IOException {
    this(root, dir, jar, instanceCount, width, height, "chaos-", List.of("-Xmx256m", "-XX:+UseSerialGC"),
        Map.of("CANVAS_SNAPSHOT_MAX_AGE_MS", "200"));
  }

  /**
   * A cluster whose instances run with the given JVM options and extra environment (which wins
   * over the defaults); a width or height of 0 leaves the server's default canvas size.
   */
  Cluster(Path root, Path dir, Path jar, int instanceCount, int width, int height, String tablePrefix,
      List<String> jvmOptions, Map<String, String> extraEnv) throws IOException {
    this.dir = dir;
    this.width = width;
    this.height = height;
    Files.createDirectories(dir.resolve("redis"));
    Files.createDirectories(dir.resolve("dynalite"));
    int redisPort = freePort();
    redis = new Proc("redis", List.of("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
        "--dir", dir.resolve("redis").toString(), "--save", "", "--appendonly", "no"), Map.of(),
        dir.resolve("redis.log"), redisPort);
    int dynalitePort = freePort();
    dynalite = new Proc("dynalite", List.of("node", "--require",
        root.resolve("server/src/test/node/dynalite-survive-aborts.js").toString(),
        root.resolve("node_modules/dynalite/cli.js").toString(), "--port", Integer.toString(dynalitePort),
        "--host", "127.0.0.1", "--path", dir.resolve("dynalite").toString(),
        "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"), Map.of(),
        dir.resolve("dynalite.log"), dynalitePort);
    String java = ProcessHandle.current().info().command().orElse("java");
    for (int i = 0; i < instanceCount; i++) {
      int port = freePort();
      Map<String, String> env = new LinkedHashMap<>();
      env.put("PORT", Integer.toString(port));
      env.put("HOST", "127.0.0.1");
      env.put("STORAGE", "dynamodb");
      env.put("DYNAMODB_LOCAL", "true");
      env.put("DYNAMODB_ENDPOINT", "http://127.0.0.1:" + dynalitePort);
      env.put("DYNAMODB_TABLE_PREFIX", tablePrefix);
      env.put("REDIS_HOST", "127.0.0.1");
      env.put("REDIS_PORT", Integer.toString(redisPort));
      env.put("DATA_DIR", dir.resolve("data-" + i).toString());
      if (width > 0 && height > 0) {
        env.put("CANVAS_WIDTH", Integer.toString(width));
        env.put("CANVAS_HEIGHT", Integer.toString(height));
      }
      env.put("ADMIN_TOKEN", adminToken);
      env.put("SESSION_SECRET", "chaos-session-secret-0123456789");
      env.put("RATE_LIMIT_PER_SECOND", "0");
      env.put("RATE_LIMIT_PER_MINUTE", "0");
      env.put("RATE_LIMIT_IP_PER_SECOND", "0");
      env.put("MAX_CONNECTIONS_PER_IP", "0");
      env.put("MAX_HTTP_CONNECTIONS_PER_IP", "0");
      env.put("REST_LIMIT_CANVAS_PER_MINUTE", "0");
      env.put("REST_LIMIT_AUDIT_PER_MINUTE", "0");
      env.putAll(extraEnv);
      List<String> command = new ArrayList<>();
      command.add(java);
      command.addAll(jvmOptions);
      command.add("-jar");
      command.add(jar.toString());
      instances.add(new Proc("instance-" + i, List.copyOf(command), env, dir.resolve("instance-" + i + ".log"), port));
    }
  }

  void startAll() throws InterruptedException {
    redis.start();
    dynalite.start();
    waitForPort(redis, 20_000);
    waitForPort(dynalite, 20_000);
    // The first instance creates the tables alone: instances racing to create the same table
    // fail to start (ResourceInUseException), which is a start-up defect of its own, not a fault
    // this campaign injects.
    instances.get(0).start();
    waitForReady(instances.get(0), 120_000);
    for (Proc p : instances.subList(1, instances.size())) {
      p.start();
    }
    for (Proc p : instances) {
      waitForReady(p, 120_000);
    }
  }

  /** Restarts a killed process with the same command and waits until it listens. */
  void restart(Proc p) throws InterruptedException {
    p.start();
    if (instances.contains(p)) {
      waitForPort(p, 90_000);
    } else {
      waitForPort(p, 20_000);
    }
  }

  void redisCommand(String... args) throws IOException {
    StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
    for (String a : args) {
      sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
    }
    try (Socket s = new Socket("127.0.0.1", redis.port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      s.getInputStream().read(new byte[64]);
    }
  }

  HttpResponse<byte[]> get(int instance, String path) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instances.get(instance).port + path))
        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + adminToken).GET().build();
    return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
  }

  private void waitForReady(Proc p, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    int i = instances.indexOf(p);
    while (System.currentTimeMillis() < deadline) {
      if (!p.process.isAlive()) {
        throw new IllegalStateException(p.name + " exited with " + p.process.exitValue() + "; see " + p.log);
      }
      try {
        if (get(i, "/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        Thread.sleep(200);
        continue;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(p.name + " not ready within " + timeoutMs + " ms; see " + p.log);
  }

  private static void waitForPort(Proc p, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      if (!p.process.isAlive()) {
        throw new IllegalStateException(p.name + " exited with " + p.process.exitValue() + "; see " + p.log);
      }
      try (Socket s = new Socket("127.0.0.1", p.port)) {
        if (s.isConnected()) {
          return;
        }
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(p.name + " does not listen within " + timeoutMs + " ms; see " + p.log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    List<Proc> all = new ArrayList<>(instances);
    all.add(redis);
    all.add(dynalite);
    for (Proc p : all) {
      if (p.process != null && p.process.isAlive()) {
        p.cont();
        p.process.destroyForcibly();
      }
    }
    for (Proc p : all) {
      if (p.process != null) {
        try {
          p.process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
