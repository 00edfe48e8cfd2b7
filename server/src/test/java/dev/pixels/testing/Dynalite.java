package dev.pixels.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open-source dynalite DynamoDB server (pinned in the repository's package-lock.json), started
 * on a free port with its data in memory. Each {@link #tablePrefix()} call gives fresh table names,
 * so tests sharing one server do not see each other's data.
 */
public final class Dynalite implements AutoCloseable {
  private static final AtomicInteger prefixes = new AtomicInteger();
  private final ExternalProcess process;

  private Dynalite(ExternalProcess process) {
    this.process = process;
  }

  public static Dynalite start() {
    Path root = repositoryRoot();
    Path cli = root.resolve("node_modules/dynalite/cli.js");
    if (!Files.exists(cli)) {
      throw new IllegalStateException("dynalite is not installed: run `npm ci` in " + root
          + " (it is pinned in package-lock.json)");
    }
    return new Dynalite(ExternalProcess.start("dynalite", "install Node.js (Debian package nodejs)",
        List.of("node", "--require", root.resolve("server/src/test/node/dynalite-survive-aborts.js").toString(),
            cli.toString(), "--port", "{port}", "--host", "127.0.0.1",
            "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"), root));
  }

  public int port() {
    return process.port();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** A table prefix no other test of this JVM uses. */
  public String tablePrefix() {
    return "t" + prefixes.incrementAndGet() + "-";
  }

  /** Store settings that point at this dynalite with fresh tables. */
  public dev.pixels.storage.DynamoDbSettings freshSettings() {
    return new dev.pixels.storage.DynamoDbSettings(true, java.net.URI.create(endpoint()), tablePrefix(),
        java.time.Duration.ofSeconds(10));
  }

  /** The environment that points a server at this dynalite with fresh tables. */
  public Map<String, String> env() {
    return Map.of("STORAGE", "dynamodb", "DYNAMODB_LOCAL", "true", "DYNAMODB_ENDPOINT", endpoint(),
        "DYNAMODB_TABLE_PREFIX", tablePrefix());
  }

  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("package-lock.json"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find the repository root (package-lock.json) above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  @Override
  public void close() {
    process.close();
  }
}
