package dev.pixels.testing;

import dev.pixels.Config;
import dev.pixels.PixelsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Pixels server started in-process on a random port, for tests that talk to it over real
 * HTTP and WebSocket connections.
 *
 * <p>Configured through the same environment variables as production, so tests exercise {@link
 * Config} validation too. Defaults: memory storage, a fresh temporary data directory, a snapshot
 * max age of 0 so that {@code GET /canvas} reflects every committed batch, a known admin token
 * ({@link #ADMIN_TOKEN}), and every rate, connection and message limit off (all test clients share
 * 127.0.0.1); tests of those limits switch them on through {@code env}.
 */
public final class TestServer implements AutoCloseable {
  /** The admin token of every test server unless {@code env} sets another. */
  public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  private static final String[] UNLIMITED = {"RATE_LIMIT_PER_SECOND", "RATE_LIMIT_BURST", "RATE_LIMIT_PER_MINUTE",
      "RATE_LIMIT_IP_PER_SECOND", "RATE_LIMIT_IP_BURST", "MAX_CONNECTIONS_PER_IP", "REST_LIMIT_CANVAS_PER_MINUTE",
      "REST_LIMIT_AUDIT_PER_MINUTE", "REST_LIMIT_PIXEL_INFO", "WS_MAX_MESSAGES_PER_SECOND", "MAX_HTTP_CONNECTIONS_PER_IP",
      "REST_LIMIT_HISTORY_PER_MINUTE", "REST_LIMIT_EXPORT_PER_MINUTE"};

  private final PixelsServer server;
  private final Path dataDir;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(PixelsServer server, Path dataDir) {
    this.server = server;
    this.dataDir = dataDir;
  }

  /** Starts a server with the defaults above overridden by {@code env}. */
  public static TestServer start(Map<String, String> env) {
    return start(env, InstantSource.system());
  }

  /** Starts a server as {@link #start(Map)} does that reads the time of day from {@code clock}. */
  public static TestServer start(Map<String, String> env, InstantSource clock) {
    try {
      Map<String, String> all = new HashMap<>();
      Path dataDir = env.containsKey("DATA_DIR") ? Path.of(env.get("DATA_DIR")) : Files.createTempDirectory("pixels-test");
      all.put("PORT", "0");
      all.put("HOST", "127.0.0.1");
      all.put("STORAGE", "memory");
      all.put("DATA_DIR", dataDir.toString());
      all.put("CANVAS_SNAPSHOT_MAX_AGE_MS", "0");
      all.put("ADMIN_TOKEN", ADMIN_TOKEN);
      for (String limit : UNLIMITED) {
        all.put(limit, "0");
      }
      all.putAll(env);
      return new TestServer(PixelsServer.start(Config.fromEnvironment(all), clock), dataDir);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static TestServer start() {
    return start(Map.of());
  }

  public int port() {
    return server.port();
  }

  public PixelsServer server() {
    return server;
  }

  public Path dataDir() {
    return dataDir;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  public String wsUrl(String pathAndQuery) {
    return "ws://127.0.0.1:" + port() + pathAndQuery;
  }

  /** A WebSocket client connected to {@code /ws} plus {@code query} (e.g. {@code ?sinceSeq=3}). */
  public WsClient connect(String query) {
    return WsClient.connect(port(), "/ws" + query);
  }

  public WsClient connect() {
    return connect("");
  }

  public HttpResponse<byte[]> get(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  public HttpResponse<byte[]> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
