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
 * the real jar, each a separate process on a fixed free port so a restart comes back at the same
 * address. With a {@link Netns}, each instance runs in its own network namespace and Redis and
 * dynalite listen on the namespaces' service address; without, everything is on 127.0.0.1. The
 * single-node cluster ({@link #single}) is one instance on {@code STORAGE=embedded}, no Redis, no
 * dynalite.
 */
final class Cluster implements AutoCloseable {
  /** One process the cluster owns, restartable with the same command. */
  static final class Proc {
    final String name;
    final List<String> command;
    final Map<String, String> env;
    final Path log;
    final String host;
    final int port;
    Process process;
    boolean stopped;

    Proc(String name, List<String> command, Map<String, String> env, Path log, String host, int port) {
      this.name = name;
      this.command = command;
      this.env = env;
      this.log = log;
      this.host = host;
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
  /** Null in the single-node cluster. */
  final Proc redis;
  /** Null in the single-node cluster. */
  final Proc dynalite;
  final List<Proc> instances = new ArrayList<>();
  final int width;
  final int height;
  /** The instances' namespaces, or null when everything runs on 127.0.0.1 (no partitions). */
  final Netns netns;
  private final Path jar;
  /** JVM options of the fault campaign's instances: small heaps, three of them share two cores. */
  private static final List<String> CAMPAIGN_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC");
  private final List<String> jvmOptions;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  Cluster(Path root, Path dir, Path jar, int instanceCount, int width, int height, Netns netns) throws IOException {
    this(root, dir, jar, instanceCount, width, height, netns, "chaos-", CAMPAIGN_JVM, Map.of());
  }

  /**
   * A cluster on 127.0.0.1 whose instances run with the given JVM options and extra environment
   * (which wins over the defaults); a width or height of 0 leaves the server's default canvas size.
   */
  Cluster(Path root, Path dir, Path jar, int instanceCount, int width, int height, String tablePrefix,
      List<String> jvmOptions, Map<String, String> extraEnv) throws IOException {
    this(root, dir, jar, instanceCount, width, height, null, tablePrefix, jvmOptions, extraEnv);
  }

  private Cluster(Path root, Path dir, Path jar, int instanceCount, int width, int height, Netns netns,
      String tablePrefix, List<String> jvmOptions, Map<String, String> extraEnv) throws IOException {
    this.dir = dir;
    this.jar = jar;
    this.width = width;
    this.height = height;
    this.netns = netns;
    this.jvmOptions = List.copyOf(jvmOptions);
    Files.createDirectories(dir.resolve("redis"));
    Files.createDirectories(dir.resolve("dynalite"));
    String serviceHost = netns == null ? "127.0.0.1" : netns.serviceAddress();
    int redisPort = freePort();
    // Protected mode refuses clients from other addresses than loopback; the service address is
    // private to this machine's namespaces.
    redis = new Proc("redis", List.of("redis-server", "--port", Integer.toString(redisPort), "--bind", serviceHost,
        "--protected-mode", netns == null ? "yes" : "no",
        "--dir", dir.resolve("redis").toString(), "--save", "", "--appendonly", "no"), Map.of(),
        dir.resolve("redis.log"), serviceHost, redisPort);
    int dynalitePort = freePort();
    dynalite = new Proc("dynalite", List.of("node", "--require",
        root.resolve("server/src/test/node/dynalite-survive-aborts.js").toString(),
        root.resolve("node_modules/dynalite/cli.js").toString(), "--port", Integer.toString(dynalitePort),
        "--host", serviceHost, "--path", dir.resolve("dynalite").toString(),
        "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"), Map.of(),
        dir.resolve("dynalite.log"), serviceHost, dynalitePort);
    for (int i = 0; i < instanceCount; i++) {
      int port = freePort();
      String host = netns == null ? "127.0.0.1" : netns.instanceAddress(i);
      Map<String, String> env = baseEnv(host, port, dir.resolve("data-" + i));
      env.put("STORAGE", "dynamodb");
      env.put("DYNAMODB_LOCAL", "true");
      env.put("DYNAMODB_ENDPOINT", "http://" + serviceHost + ":" + dynalitePort);
      env.put("DYNAMODB_TABLE_PREFIX", tablePrefix);
      env.put("REDIS_HOST", serviceHost);
      env.put("REDIS_PORT", Integer.toString(redisPort));
      env.putAll(extraEnv);
      List<String> command = new ArrayList<>();
      if (netns != null) {
        // ip netns exec execs the program, so the process's pid is the jar's: kill -9 and SIGSTOP reach it.
        command.addAll(netns.exec(i));
      }
      command.addAll(javaCommand());
      instances.add(new Proc("instance-" + i, command, env, dir.resolve("instance-" + i + ".log"), host, port));
    }
  }

  private Cluster(Path dir, Path jar, int width, int height, Path dataDir) throws IOException {
    this.dir = dir;
    this.jar = jar;
    this.width = width;
    this.height = height;
    this.netns = null;
    this.jvmOptions = CAMPAIGN_JVM;
    this.redis = null;
    this.dynalite = null;
    int port = freePort();
    Map<String, String> env = baseEnv("127.0.0.1", port, dataDir);
    env.put("STORAGE", "embedded");
    instances.add(new Proc("instance-0", javaCommand(), env, dir.resolve("instance-0.log"), "127.0.0.1", port));
  }

  /** One instance of the jar on {@code STORAGE=embedded} (SQLite) with its data in {@code dataDir}. */
  static Cluster single(Path dir, Path jar, int width, int height, Path dataDir) throws IOException {
    return new Cluster(dir, jar, width, height, dataDir);
  }

  /**
   * A process of the jar, not part of the cluster, on {@code STORAGE=embedded} with the given data
   * directory: for start-up checks on a damaged database.
   */
  Proc embeddedProbe(String name, Path dataDir) throws IOException {
    int port = freePort();
    Map<String, String> env = baseEnv("127.0.0.1", port, dataDir);
    env.put("STORAGE", "embedded");
    return new Proc(name, javaCommand(), env, dir.resolve(name + ".log"), "127.0.0.1", port);
  }

  private List<String> javaCommand() {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toString());
    return command;
  }

  private Map<String, String> baseEnv(String host, int port, Path dataDir) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PORT", Integer.toString(port));
    env.put("HOST", host);
    env.put("DATA_DIR", dataDir.toString());
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
    env.put("REST_LIMIT_PIXEL_INFO", "0");
    env.put("CANVAS_SNAPSHOT_MAX_AGE_MS", "200");
    return env;
  }

  void startAll() throws InterruptedException {
    if (redis == null) {
      instances.get(0).start();
      waitForReady(instances.get(0), 120_000);
      return;
    }
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
    try (Socket s = new Socket(redis.host, redis.port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      s.getInputStream().read(new byte[64]);
    }
  }

  HttpResponse<byte[]> get(int instance, String path) throws IOException, InterruptedException {
    return get(instances.get(instance), path);
  }

  HttpResponse<byte[]> get(Proc p, String path) throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + p.host + ":" + p.port + path))
        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + adminToken).GET().build();
    return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
  }

  void waitForReady(Proc p, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      if (!p.process.isAlive()) {
        throw new IllegalStateException(p.name + " exited with " + p.process.exitValue() + "; see " + p.log);
      }
      try {
        if (get(p, "/ready").statusCode() == 200) {
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

  static void waitForPort(Proc p, long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      if (!p.process.isAlive()) {
        throw new IllegalStateException(p.name + " exited with " + p.process.exitValue() + "; see " + p.log);
      }
      try (Socket s = new Socket(p.host, p.port)) {
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
    if (redis != null) {
      all.add(redis);
      all.add(dynalite);
    }
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
    if (netns != null) {
      netns.close();
    }
  }
}
