package dev.pixels;

import dev.pixels.abuse.PowSettings;
import dev.pixels.canvas.Palette;
import dev.pixels.signin.OidcProvider;
import dev.pixels.signin.SignInSettings;
import dev.pixels.cluster.RedisSettings;
import dev.pixels.cluster.SharedRateLimit;
import dev.pixels.history.HistorySettings;
import dev.pixels.ops.LogFormat;
import dev.pixels.storage.DynamoDbSettings;
import dev.pixels.timelapse.TimelapseSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server's configuration, read once from environment variables and validated as a whole.
 *
 * <p>Every setting has a default that works on one machine with nothing else installed. A bad value
 * does not fall back silently: {@link #fromEnvironment(Map)} collects every problem and throws one
 * {@link ConfigException} naming each variable, so the operator fixes them in a single pass.
 */
public record Config(
    String host,
    int port,
    Path portFile,
    Path dataDir,
    StorageKind storage,
    int canvasWidth,
    int canvasHeight,
    Palette palette,
    Duration batchInterval,
    Duration snapshotMaxAge,
    Duration canvasCheckpointInterval,
    int maxFrameBytes,
    int sendQueueBytes,
    int sendQueueTotalBytes,
    int pendingPixelLimit,
    int resumeBufferPixels,
    Duration idleTimeout,
    Duration pingInterval,
    LogFormat logFormat,
    boolean logIps,
    String metricsToken,
    Duration shutdownTimeout,
    ScaleOut scaleOut,
    Safety safety,
    Http http,
    PixelInfo pixelInfo,
    PowSettings pow,
    SignInSettings signIn,
    HistorySettings history,
    TimelapseSettings timelapse) {

  /**
   * Pixel lookups ({@code GET /pixels/{x}/{y}}).
   *
   * @param showUser whether the public answer says by whom (a pseudonym) a pixel was placed
   * @param lookups lookups per client IP in any {@code lookupWindow}; 0 disables the limit
   */
  public record PixelInfo(boolean showUser, int lookups, Duration lookupWindow) {}

  /**
   * Limits on the HTTP connections themselves and the headers of the web page.
   *
   * @param idleTimeout a connection with nothing read or written for this long is closed; at least
   *     twice the WebSocket ping interval, so that a healthy WebSocket always has traffic in time
   * @param headerTimeout a connection must deliver each request head within this long of opening,
   *     or of the answer to its previous request
   * @param maxConnectionsPerIp open connections (HTTP and WebSocket) per peer address; 0 disables;
   *     peers in {@code TRUSTED_PROXIES} are not capped, as they carry many clients
   * @param frameAncestors the CSP {@code frame-ancestors} sources allowed to embed the web page;
   *     null means none
   * @param nativeTransport whether sockets use Netty's native epoll transport where it is available
   *     (Linux on x86-64), rather than Java NIO
   */
  public record Http(Duration idleTimeout, Duration headerTimeout, int maxConnectionsPerIp, String frameAncestors,
      boolean nativeTransport) {}

  /**
   * Settings of the multi-instance deployment: DynamoDB, Redis, and the limits Redis enforces.
   *
   * @param durabilityTimeout how long an accepted pixel may wait for its log entry to be stored
   *     before it is answered {@code unavailable}; a rebuild after a Redis flush waits this long
   */
  public record ScaleOut(DynamoDbSettings dynamoDb, RedisSettings redis, Duration durabilityTimeout,
      SharedRateLimit rateLimit) {}

  /** Where pixels are kept durably. */
  public enum StorageKind {
    /** SQLite under {@code DATA_DIR}: durable, zero setup. */
    EMBEDDED,
    /** Nothing on disk; for tests and benchmarks. */
    MEMORY,
    /** DynamoDB (AWS, or a local server with DYNAMODB_LOCAL=true); needed for several instances. */
    DYNAMODB
  }

  /** Keeps the metrics token out of {@code toString()}, which may end up in a log. */
  @Override
  public String toString() {
    return "Config[host=" + host + ", port=" + port + ", storage=" + storage + ", dataDir=" + dataDir
        + ", canvas=" + canvasWidth + "x" + canvasHeight + ", logFormat=" + logFormat + ", logIps=" + logIps
        + ", metricsToken=" + (metricsToken == null ? "none" : "set") + ", ...]";
  }

  /** Largest canvas side; 4096² bytes keeps one canvas under 16 MiB. */
  public static final int MAX_CANVAS_SIDE = 4096;

  /** Reads and validates the configuration from {@code env} (normally {@link System#getenv()}). */
  public static Config fromEnvironment(Map<String, String> env) {
    Reader r = new Reader(env);
    Safety safety = Safety.read(r);
    Duration pingInterval = r.millis("WS_PING_INTERVAL_MS", 15_000, 100, 3_600_000);
    Config config =
        new Config(
            r.string("HOST", "0.0.0.0"),
            r.integer("PORT", 8000, 0, 65535),
            r.optionalPath("PORT_FILE"),
            r.path("DATA_DIR", "./data"),
            r.storage("STORAGE"),
            r.integer("CANVAS_WIDTH", 900, 1, MAX_CANVAS_SIDE),
            r.integer("CANVAS_HEIGHT", 900, 1, MAX_CANVAS_SIDE),
            r.palette("PALETTE"),
            r.millis("BATCH_INTERVAL_MS", 50, 1, 10_000),
            r.millis("CANVAS_SNAPSHOT_MAX_AGE_MS", 1000, 0, 3_600_000),
            r.millis("CANVAS_CHECKPOINT_INTERVAL_MS", 60_000, 100, 86_400_000),
            r.integer("WS_MAX_FRAME_BYTES", 4096, 256, 65536),
            r.integer("WS_SEND_QUEUE_BYTES", 1024 * 1024, 64 * 1024, 256 * 1024 * 1024),
            r.integer("WS_SEND_QUEUE_TOTAL_BYTES", 128 * 1024 * 1024, 1024 * 1024, Integer.MAX_VALUE),
            r.integer("PENDING_PIXEL_LIMIT", 100_000, 1, 10_000_000),
            r.integer("RESUME_BUFFER_PIXELS", 200_000, 0, 50_000_000),
            r.millis("WS_IDLE_TIMEOUT_MS", 45_000, 1000, 3_600_000),
            pingInterval,
            r.logFormat("LOG_FORMAT"),
            r.bool("LOG_IPS", false),
            r.string("METRICS_TOKEN", null),
            r.millis("SHUTDOWN_TIMEOUT_MS", 10_000, 100, 600_000),
            r.scaleOut(safety),
            safety,
            r.http(pingInterval, safety),
            new PixelInfo(
                r.bool("PIXEL_INFO_SHOW_USER", true),
                r.integer("REST_LIMIT_PIXEL_INFO", 20, 0, 1_000_000),
                Duration.ofSeconds(r.integer("REST_LIMIT_PIXEL_INFO_WINDOW_SECONDS", 120, 1, 86_400))),
            r.pow(),
            r.signIn(),
            r.history(),
            r.timelapse());
    if (config.sendQueueTotalBytes() < config.sendQueueBytes()) {
      r.problems.add("WS_SEND_QUEUE_TOTAL_BYTES=" + config.sendQueueTotalBytes()
          + " must be at least WS_SEND_QUEUE_BYTES (" + config.sendQueueBytes() + ")");
    }
    if (config.scaleOut().redis().enabled() && config.storage() != StorageKind.DYNAMODB) {
      r.problems.add("REDIS_HOST/REDIS_LOCAL run several instances as one canvas, which needs STORAGE=dynamodb");
    }
    r.throwIfInvalid();
    return config;
  }

  /**
   * Sessions, admin access, rate limits and hostile-input limits. For every limit, 0
   * disables it; benchmarks start the server with all pixel and REST limits at 0.
   *
   * @param sessionSecret HMAC key for session tokens; null means "generate once into DATA_DIR"
   *     (with STORAGE=memory: generate one that lives in memory only)
   * @param adminToken the admin bearer token; null means "generate once into DATA_DIR/admin-token"
   *     (with STORAGE=memory: admin endpoints closed)
   * @param trustedProxies peers whose X-Forwarded-For is believed (exact IP addresses)
   */
  public record Safety(
      String sessionSecret,
      Duration sessionTtl,
      String adminToken,
      List<String> trustedProxies,
      int userPerSecond,
      int userBurst,
      int userPerMinute,
      int ipPerSecond,
      int ipBurst,
      int maxConnectionsPerIp,
      int restCanvasPerMinute,
      Duration restCanvasWindow,
      int restAuditPerMinute,
      int wsMessagesPerSecond,
      int wsMaxViolations) {

    public Safety {
      trustedProxies = List.copyOf(trustedProxies);
    }

    @Override
    public String toString() {
      // Never print the secrets, even into a debug log.
      return "Safety[sessionSecret=" + (sessionSecret == null ? "generated" : "***") + ", adminToken="
          + (adminToken == null ? "generated" : "***") + ", trustedProxies=" + trustedProxies
          + ", user=" + userPerSecond + "/s burst " + userBurst + ", " + userPerMinute + "/min, ip="
          + ipPerSecond + "/s burst " + ipBurst + ", connections/ip=" + maxConnectionsPerIp + ", rest canvas="
          + restCanvasPerMinute + " per " + restCanvasWindow.toSeconds() + " s, audit=" + restAuditPerMinute + "/min, ws=" + wsMessagesPerSecond
          + " msg/s, violations=" + wsMaxViolations + "]";
    }

    private static Safety read(Reader r) {
      int perSecond = r.integer("RATE_LIMIT_PER_SECOND", 10, 0, 1_000_000);
      int burst = r.integer("RATE_LIMIT_BURST", 20, 0, 1_000_000);
      int ipPerSecond = r.integer("RATE_LIMIT_IP_PER_SECOND", perSecond * 3, 0, 1_000_000);
      String secret = r.string("SESSION_SECRET", null);
      if (secret != null && secret.length() < 16) {
        r.problem("SESSION_SECRET must be at least 16 characters (or unset to generate one)");
      }
      String admin = r.string("ADMIN_TOKEN", null);
      if (admin != null && admin.length() < 12) {
        r.problem("ADMIN_TOKEN must be at least 12 characters (or unset to generate one)");
      }
      return new Safety(
          secret,
          Duration.ofSeconds(r.integer("SESSION_TTL_SECONDS", 30 * 86_400, 60, 366 * 86_400)),
          admin,
          r.ipList("TRUSTED_PROXIES"),
          perSecond,
          burst,
          r.integer("RATE_LIMIT_PER_MINUTE", 100, 0, 1_000_000),
          ipPerSecond,
          r.integer("RATE_LIMIT_IP_BURST", burst * 3, 0, 1_000_000),
          r.integer("MAX_CONNECTIONS_PER_IP", 50, 0, 1_000_000),
          r.integer("REST_LIMIT_CANVAS_PER_MINUTE", 10, 0, 1_000_000),
          Duration.ofSeconds(r.integer("REST_LIMIT_CANVAS_WINDOW_SECONDS", 60, 1, 86_400)),
          r.integer("REST_LIMIT_AUDIT_PER_MINUTE", 5, 0, 1_000_000),
          r.integer("WS_MAX_MESSAGES_PER_SECOND", 200, 0, 1_000_000),
          r.integer("WS_MAX_VIOLATIONS", 20, 1, 1_000_000));
    }
  }

  /** Thrown when the environment holds a value the server cannot run with. */
  public static final class ConfigException extends RuntimeException {
    ConfigException(String message) {
      super(message);
    }
  }

  /** Parses variables one by one, remembering every problem instead of stopping at the first. */
  private static final class Reader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    Reader(Map<String, String> env) {
      this.env = env;
    }

    private String raw(String name) {
      String value = env.get(name);
      return value == null || value.isBlank() ? null : value.trim();
    }

    String string(String name, String fallback) {
      String value = raw(name);
      return value == null ? fallback : value;
    }

    int integer(String name, int fallback, int min, int max) {
      String value = raw(name);
      if (value == null) {
        return fallback;
      }
      try {
        int parsed = Integer.parseInt(value);
        if (parsed < min || parsed > max) {
          problems.add(name + "=" + value + " is out of range; expected " + min + ".." + max);
          return fallback;
        }
        return parsed;
      } catch (NumberFormatException e) {
        problems.add(name + "=" + value + " is not a whole number");
        return fallback;
      }
    }

    Duration millis(String name, int fallback, int min, int max) {
      return Duration.ofMillis(integer(name, fallback, min, max));
    }

    Path path(String name, String fallback) {
      return Path.of(string(name, fallback));
    }

    void problem(String message) {
      problems.add(message);
    }

    /** A comma-separated list; empty when unset. */
    List<String> list(String name) {
      String value = raw(name);
      if (value == null) {
        return List.of();
      }
      List<String> items = new ArrayList<>();
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
      return items;
    }

    /** A comma-separated list of IP address literals (no host names: nothing is resolved). */
    List<String> ipList(String name) {
      List<String> ips = list(name);
      for (String ip : ips) {
        if (!io.netty.util.NetUtil.isValidIpV4Address(ip) && !io.netty.util.NetUtil.isValidIpV6Address(ip)) {
          problems.add(name + ": " + ip + " is not an IP address");
        }
      }
      return ips;
    }

    Path optionalPath(String name) {
      String value = raw(name);
      return value == null ? null : Path.of(value);
    }

    StorageKind storage(String name) {
      String value = raw(name);
      if (value == null) {
        return StorageKind.EMBEDDED;
      }
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "embedded" -> StorageKind.EMBEDDED;
        case "memory" -> StorageKind.MEMORY;
        case "dynamodb" -> StorageKind.DYNAMODB;
        default -> {
          problems.add(name + "=" + value + " is not a storage kind; expected embedded, memory or dynamodb");
          yield StorageKind.EMBEDDED;
        }
      };
    }

    boolean bool(String name, boolean fallback) {
      String value = raw(name);
      if (value == null) {
        return fallback;
      }
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "true", "1", "yes" -> true;
        case "false", "0", "no" -> false;
        default -> {
          problems.add(name + "=" + value + " is not a boolean; expected true or false");
          yield fallback;
        }
      };
    }

    LogFormat logFormat(String name) {
      String value = raw(name);
      if (value == null) {
        return LogFormat.TEXT;
      }
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "text" -> LogFormat.TEXT;
        case "json" -> LogFormat.JSON;
        default -> {
          problems.add(name + "=" + value + " is not a log format; expected text or json");
          yield LogFormat.TEXT;
        }
      };
    }

    Palette palette(String name) {
      String value = raw(name);
      if (value == null) {
        return Palette.defaultPalette();
      }
      try {
        return Palette.parse(value);
      } catch (IllegalArgumentException e) {
        problems.add(name + ": " + e.getMessage());
        return Palette.defaultPalette();
      }
    }

    URI uri(String name, String fallback) {
      String value = string(name, fallback);
      try {
        URI uri = URI.create(value);
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new IllegalArgumentException("no scheme or host");
        }
        return uri;
      } catch (IllegalArgumentException e) {
        problems.add(name + "=" + value + " is not a URL such as http://localhost:8001");
        return URI.create(fallback);
      }
    }

    ScaleOut scaleOut(Safety safety) {
      Duration durabilityTimeout = millis("DURABILITY_TIMEOUT_MS", 5000, 100, 60_000);
      DynamoDbSettings dynamo = new DynamoDbSettings(bool("DYNAMODB_LOCAL", false),
          uri("DYNAMODB_ENDPOINT", "http://localhost:8001"), string("DYNAMODB_TABLE_PREFIX", "pixels-"),
          durabilityTimeout);
      boolean redisLocal = bool("REDIS_LOCAL", false);
      String redisHost = raw("REDIS_HOST");
      RedisSettings redis = redisHost == null && !redisLocal
          ? RedisSettings.none()
          : new RedisSettings(true, redisHost == null ? "localhost" : redisHost, integer("REDIS_PORT", 6379, 1, 65535),
              raw("REDIS_PASSWORD"), bool("REDIS_TLS", false));
      // The same per-user limits as on one instance, enforced in Redis so they hold across instances.
      SharedRateLimit limit = new SharedRateLimit(safety.userPerSecond(), safety.userBurst(), safety.userPerMinute());
      return new ScaleOut(dynamo, redis, durabilityTimeout, limit);
    }

    Http http(Duration pingInterval, Safety safety) {
      int minIdle = (int) Math.min(3_600_000, 2 * pingInterval.toMillis());
      Duration idle = millis("HTTP_IDLE_TIMEOUT_MS", Math.max(65_000, minIdle), 1000, 3_600_000);
      if (idle.toMillis() < minIdle) {
        problems.add("HTTP_IDLE_TIMEOUT_MS=" + idle.toMillis() + " must be at least twice WS_PING_INTERVAL_MS ("
            + minIdle + "), or healthy WebSockets would be cut between pings");
      }
      String ancestors = raw("FRAME_ANCESTORS");
      if (ancestors != null && (ancestors.length() > 1000 || !ancestors.matches("[\\x21-\\x7E ]+")
          || ancestors.contains(";") || ancestors.contains(","))) {
        problems.add("FRAME_ANCESTORS must be CSP sources separated by spaces, e.g. 'self' https://example.com");
      }
      return new Http(idle, millis("HTTP_HEADER_TIMEOUT_MS", 10_000, 100, 600_000),
          integer("MAX_HTTP_CONNECTIONS_PER_IP", 2 * safety.maxConnectionsPerIp(), 0, 1_000_000), ancestors,
          bool("NATIVE_TRANSPORT", true));
    }

    PowSettings pow() {
      int difficulty = integer("POW_DIFFICULTY", 0, 0, 10_000_000);
      int pixels = integer("POW_PIXELS_PER_SOLUTION", 200, 1, 1_000_000);
      Duration lifetime = Duration.ofMinutes(integer("POW_SOLUTION_MINUTES", 30, 1, 7 * 24 * 60));
      Duration challenge = Duration.ofSeconds(integer("POW_CHALLENGE_SECONDS", 300, 10, 3600));
      if (difficulty > 0 && difficulty < 1000) {
        problems.add("POW_DIFFICULTY=" + difficulty + " is too small to cost anything; use 0 (off) or at least 1000");
      }
      return new PowSettings(difficulty, pixels, lifetime, challenge);
    }

    /**
     * One provider from OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URL (id
     * OIDC_ID, name OIDC_NAME), or several named by OIDC_PROVIDERS, each from OIDC_<ID>_ISSUER and so
     * on.
     */
    SignInSettings signIn() {
      List<OidcProvider> providers = new ArrayList<>();
      List<String> ids = list("OIDC_PROVIDERS");
      if (ids.isEmpty()) {
        OidcProvider single = provider(string("OIDC_ID", "oidc"), "OIDC_", "OIDC_ID");
        if (single != null) {
          providers.add(single);
        }
      } else {
        for (String id : ids) {
          OidcProvider p = provider(id, "OIDC_" + id.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_",
              "OIDC_PROVIDERS");
          if (p == null) {
            problems.add("OIDC_PROVIDERS names " + id + " but its OIDC_" + id.toUpperCase(java.util.Locale.ROOT)
                + "_ISSUER, _CLIENT_ID, _CLIENT_SECRET and _REDIRECT_URL are not set");
          } else if (providers.stream().anyMatch(o -> o.id().equals(id))) {
            problems.add("OIDC_PROVIDERS names " + id + " twice");
          } else {
            providers.add(p);
          }
        }
      }
      boolean requireLogin = bool("REQUIRE_LOGIN_TO_PAINT", false);
      if (requireLogin && providers.isEmpty()) {
        problems.add("REQUIRE_LOGIN_TO_PAINT=true needs a sign-in provider (OIDC_ISSUER, ... or OIDC_PROVIDERS)");
      }
      Duration minAge = Duration.ofDays(integer("MIN_ACCOUNT_AGE_DAYS", 0, 0, 36_500));
      if (!minAge.isZero()) {
        for (OidcProvider p : providers) {
          if (p.createdAtClaim() == null) {
            problems.add("MIN_ACCOUNT_AGE_DAYS is not available for provider " + p.id()
                + ": set the ID-token claim that holds the account's creation time (OIDC_"
                + (ids.isEmpty() ? "" : p.id().toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_")
                + "CREATED_AT_CLAIM), if the provider gives one");
          }
        }
        if (providers.isEmpty()) {
          problems.add("MIN_ACCOUNT_AGE_DAYS needs a sign-in provider");
        }
      }
      return new SignInSettings(providers, requireLogin, minAge);
    }

    private OidcProvider provider(String id, String prefix, String idVariable) {
      String issuer = raw(prefix + "ISSUER");
      String clientId = raw(prefix + "CLIENT_ID");
      String secret = raw(prefix + "CLIENT_SECRET");
      String redirect = raw(prefix + "REDIRECT_URL");
      if (issuer == null && clientId == null && secret == null && redirect == null) {
        return null;
      }
      if (issuer == null || clientId == null || secret == null || redirect == null) {
        problems.add(prefix + "ISSUER, " + prefix + "CLIENT_ID, " + prefix + "CLIENT_SECRET and " + prefix
            + "REDIRECT_URL go together: set all four or none");
        return null;
      }
      if (!id.matches("[a-z0-9][a-z0-9-]{0,31}")) {
        problems.add(idVariable + ": " + id + " is not a provider id (lowercase letters, digits and -, at most 32)");
      }
      URI issuerUri = uri(prefix + "ISSUER", "https://issuer.invalid");
      URI redirectUri = uri(prefix + "REDIRECT_URL", "https://redirect.invalid/auth/" + id + "/callback");
      if (!redirectUri.getPath().equals("/auth/" + id + "/callback")) {
        problems.add(prefix + "REDIRECT_URL must be this server's /auth/" + id + "/callback, e.g. https://pixels.example/auth/"
            + id + "/callback");
      }
      String name = string(prefix + "NAME", prefix.equals("OIDC_") ? "OpenID Connect" : id);
      return new OidcProvider(id, name, issuerUri, clientId, secret, redirectUri, raw(prefix + "CREATED_AT_CLAIM"));
    }

    HistorySettings history() {
      return new HistorySettings(
          millis("HISTORY_POINT_INTERVAL_MS", 600_000, 100, 86_400_000),
          integer("HISTORY_CACHED_POINTS", 16, 1, 1_000),
          integer("REST_LIMIT_HISTORY_PER_MINUTE", 60, 0, 1_000_000),
          bool("EXPORT_PUBLIC", false),
          integer("REST_LIMIT_EXPORT_PER_MINUTE", 2, 0, 1_000_000),
          integer("EXPORT_MAX_CONCURRENT", 2, 1, 64),
          millis("EXPORT_STALL_TIMEOUT_MS", 60_000, 100, 3_600_000));
    }

    TimelapseSettings timelapse() {
      long maxBytes = TimelapseSettings.DEFAULT_MAX_BYTES;
      String value = raw("TIMELAPSE_MAX_BYTES");
      if (value != null) {
        try {
          maxBytes = Long.parseLong(value);
          if (maxBytes < TimelapseSettings.MIN_MAX_BYTES || maxBytes > TimelapseSettings.MAX_MAX_BYTES) {
            problems.add("TIMELAPSE_MAX_BYTES=" + value + " is out of range; expected " + TimelapseSettings.MIN_MAX_BYTES
                + ".." + TimelapseSettings.MAX_MAX_BYTES);
            maxBytes = TimelapseSettings.DEFAULT_MAX_BYTES;
          }
        } catch (NumberFormatException e) {
          problems.add("TIMELAPSE_MAX_BYTES=" + value + " is not a whole number");
        }
      }
      String ffmpeg = string("TIMELAPSE_FFMPEG", "ffmpeg");
      if (ffmpeg.chars().anyMatch(c -> c < 0x20)) {
        problems.add("TIMELAPSE_FFMPEG must be a command name or path without control characters");
      }
      return new TimelapseSettings(maxBytes, integer("TIMELAPSE_QUEUE", TimelapseSettings.DEFAULT_QUEUE, 1,
          TimelapseSettings.MAX_QUEUE), ffmpeg);
    }

    void throwIfInvalid() {
      if (!problems.isEmpty()) {
        throw new ConfigException(
            "Invalid configuration:\n  - " + String.join("\n  - ", problems));
      }
    }
  }
}
