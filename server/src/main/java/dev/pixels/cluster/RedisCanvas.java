package dev.pixels.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The shared canvas state in Redis and the Lua scripts that change it; one round trip per call.
 *
 * <p>Keys: {@code pixels:canvas} (one byte per pixel, every sequenced pixel applied), {@code
 * pixels:seq} (the last seq handed out), {@code pixels:stream} (one entry per sequenced pixel, id
 * {@code <seq>-0}), {@code pixels:stored} (the seq through which the log writer has stored the
 * stream in the pixel store: the commit mark), {@code pixels:epoch} (set last by a rebuild; its
 * absence means Redis lost the canvas), per-user limit keys, and leases. All keys live on one Redis
 * node (ElastiCache with cluster mode off), which is what lets one script touch them all.
 *
 * <p>Readers other than the log writer see only entries at or below the commit mark: {@link
 * #readStored} stops there, and {@link #snapshot} takes the bitmap back to it using the entries
 * above it, whose previous colours it carries. The accept script refuses new pixels once {@link
 * #MAX_UNSTORED} of them wait for the writer, which bounds both the stream above the mark and what
 * a snapshot must undo.
 *
 * <p>Concurrency: Lettuce connections are thread-safe; commands from different threads are
 * pipelined on the shared connection. The client rejects commands while disconnected rather than
 * queueing them, so a Redis outage turns into prompt {@code unavailable} answers and reconnects in
 * the background.
 */
final class RedisCanvas implements AutoCloseable {
  static final String CANVAS = "pixels:canvas";
  static final String SEQ = "pixels:seq";
  static final String STREAM = "pixels:stream";
  static final String EPOCH = "pixels:epoch";
  static final String STORED = "pixels:stored";
  static final String WRITER_LEASE = "pixels:lease:writer";
  /** The channel on which the commit mark is announced as it rises. */
  static final String COMMITS = "pixels:commits";
  /** The most sequenced pixels that may wait for the log writer; more are refused as a backlog. */
  static final long MAX_UNSTORED = 20_000;
  static final String REBUILD_LEASE = "pixels:lease:rebuild";
  static final String SNAPSHOT_LEASE = "pixels:lease:snapshot";
  private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

  /**
   * Accepts one pixel: limits, set, next seq, stream entry. Returns {ok,seq,prev,ms,epoch},
   * {rate,waitMs}, {notready}, {backlog} when ARGV[13] pixels already wait for the log writer, or
   * {skip} when ARGV[12] names the colour the pixel must still hold (server-made repairs) and it
   * holds another.
   */
  private static final String ACCEPT = """
      local epoch = redis.call('GET', KEYS[4])
      if not epoch then return {'notready'} end
      local stored = tonumber(redis.call('GET', KEYS[7]) or '0')
      if tonumber(redis.call('GET', KEYS[2]) or '0') - stored >= tonumber(ARGV[13]) then return {'backlog'} end
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local rate = tonumber(ARGV[7]); local burst = tonumber(ARGV[8]); local perMin = tonumber(ARGV[9])
      local limited = ARGV[10] == '1'
      local tokens = 0
      if limited then
        local wait = 0
        if rate > 0 and burst > 0 then
          local b = redis.call('HMGET', KEYS[5], 'tokens', 'ts')
          tokens = tonumber(b[1]) or burst
          local ts = tonumber(b[2]) or now
          tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
          if tokens < 1 then wait = math.ceil((1 - tokens) * 1000 / rate) end
        end
        if perMin > 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now - 60000)
          if redis.call('ZCARD', KEYS[6]) >= perMin then
            local oldest = redis.call('ZRANGE', KEYS[6], 0, 0, 'WITHSCORES')
            wait = math.max(wait, tonumber(oldest[2]) + 60000 - now)
          end
        end
        if wait > 0 then return {'rate', wait} end
      end
      local off = tonumber(ARGV[1])
      local prev = string.byte(redis.call('GETRANGE', KEYS[1], off, off)) or 0
      local expected = tonumber(ARGV[12])
      if expected >= 0 and prev ~= expected then return {'skip'} end
      redis.call('SETRANGE', KEYS[1], off, string.char(tonumber(ARGV[2])))
      local seq = redis.call('INCR', KEYS[2])
      redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[11], seq .. '-0', 'x', ARGV[5], 'y', ARGV[6], 'c', ARGV[2],
        'p', prev, 'u', ARGV[3], 't', now, 'tool', ARGV[4])
      if limited then
        if rate > 0 and burst > 0 then
          redis.call('HSET', KEYS[5], 'tokens', tokens - 1, 'ts', now)
          redis.call('PEXPIRE', KEYS[5], math.ceil(burst * 1000 / rate) + 1000)
        end
        if perMin > 0 then
          redis.call('ZADD', KEYS[6], now, seq)
          redis.call('PEXPIRE', KEYS[6], 61000)
        end
      end
      return {'ok', seq, prev, now, epoch}
      """;

  /**
   * The bitmap, its seq, the epoch, the commit mark and the stream entries above the mark, read
   * atomically.
   */
  private static final String SNAPSHOT = """
      local stored = redis.call('GET', KEYS[5]) or '0'
      return {redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2]), redis.call('GET', KEYS[3]), stored,
        redis.call('XRANGE', KEYS[4], '(' .. stored .. '-0', '+')}
      """;

  /** The epoch, the commit mark and the stored stream entries after a seq: what replicas show. */
  private static final String READ_STORED = """
      local stored = redis.call('GET', KEYS[3]) or '0'
      local entries = {}
      if tonumber(stored) > tonumber(ARGV[1]) then
        entries = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1] .. '-0', stored .. '-0', 'COUNT', ARGV[2])
      end
      return {redis.call('GET', KEYS[2]), stored, entries}
      """;

  /** The epoch, the commit mark and the entries above it: what the log writer stores next. */
  private static final String READ_UNSTORED = """
      local stored = redis.call('GET', KEYS[3]) or '0'
      return {redis.call('GET', KEYS[2]), stored, redis.call('XRANGE', KEYS[1], '(' .. stored .. '-0', '+', 'COUNT', ARGV[1])}
      """;

  /**
   * Raises the commit mark to ARGV[2] if the epoch is still ARGV[1], and announces it on {@link
   * #COMMITS} as "epoch seq"; 1 if the epoch matched.
   */
  private static final String COMMIT = """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {0} end
      if tonumber(redis.call('GET', KEYS[2]) or '0') < tonumber(ARGV[2]) then
        redis.call('SET', KEYS[2], ARGV[2])
        redis.call('PUBLISH', KEYS[3], ARGV[1] .. ' ' .. ARGV[2])
      end
      return {1}
      """;

  /**
   * Installs a rebuilt canvas unless Redis holds one (an epoch) already: a fresh stream, the seq
   * and commit mark (everything rebuilt is stored), the bitmap, and last the new epoch. Returns 1
   * if installed.
   */
  private static final String INSTALL = """
      if redis.call('EXISTS', KEYS[4]) == 1 then return {0} end
      redis.call('DEL', KEYS[3])
      redis.call('SET', KEYS[1], ARGV[1])
      redis.call('SET', KEYS[2], ARGV[2])
      redis.call('SET', KEYS[5], ARGV[2])
      redis.call('SET', KEYS[4], ARGV[3])
      return {1}
      """;

  /** Extends a lease if we hold it, or takes it if nobody does. */
  private static final String LEASE = """
      local holder = redis.call('GET', KEYS[1])
      if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
      if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
      return 0
      """;

  private static final String RELEASE = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0
      """;

  private final io.lettuce.core.resource.ClientResources resources;
  private final RedisClient client;
  private final Object connecting = new Object();
  /** Null until the first connect succeeds; from then on Lettuce reconnects it by itself. */
  private volatile StatefulRedisConnection<byte[], byte[]> connection;
  /** The commit announcements' connection, once {@link #subscribeCommits} succeeded; guarded by {@code connecting}. */
  private io.lettuce.core.pubsub.StatefulRedisPubSubConnection<byte[], byte[]> commits;
  private final long streamMaxLen;
  private final long maxUnstored;
  private final io.micrometer.core.instrument.Counter errors;

  /**
   * Connects to Redis. Command latencies go to {@code meters} as {@code pixels.redis.command}
   * (by command type), and failures counted by {@link #commandFailed()} as {@code pixels.redis.errors}.
   */
  RedisCanvas(RedisSettings settings, Duration commandTimeout, long streamMaxLen,
      io.micrometer.core.instrument.MeterRegistry meters) {
    this(settings, commandTimeout, streamMaxLen, MAX_UNSTORED, meters);
  }

  /** {@link #RedisCanvas(RedisSettings, Duration, long, io.micrometer.core.instrument.MeterRegistry)} with another backlog bound. */
  RedisCanvas(RedisSettings settings, Duration commandTimeout, long streamMaxLen, long maxUnstored,
      io.micrometer.core.instrument.MeterRegistry meters) {
    this.resources = io.lettuce.core.resource.ClientResources.builder()
        .commandLatencyRecorder(new io.lettuce.core.metrics.MicrometerCommandLatencyRecorder(meters,
            io.lettuce.core.metrics.MicrometerOptions.builder().enable().build()))
        // Lettuce's default backoff grows to 30 s between attempts, which after a long outage left an
        // instance cut off for up to half a minute after Redis was back; one attempt a second is cheap.
        .reconnectDelay(io.lettuce.core.resource.Delay.exponential(Duration.ZERO, MAX_RECONNECT_DELAY, 2,
            java.util.concurrent.TimeUnit.MILLISECONDS))
        .build();
    this.errors = io.micrometer.core.instrument.Counter.builder("pixels.redis.errors")
        .description("Redis commands that failed or timed out").register(meters);
    RedisURI.Builder uri = RedisURI.builder().withHost(settings.host()).withPort(settings.port())
        .withSsl(settings.tls()).withTimeout(commandTimeout);
    if (settings.password() != null) {
      uri.withPassword(settings.password().toCharArray());
    }
    this.client = RedisClient.create(resources, uri.build());
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
        .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
        .build());
    this.streamMaxLen = streamMaxLen;
    this.maxUnstored = maxUnstored;
  }

  /**
   * The connection, made on first use: an instance may start while Redis is down, and every call
   * until Redis answers fails like a call on a dropped connection does.
   *
   * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached yet
   */
  private StatefulRedisConnection<byte[], byte[]> connection() {
    StatefulRedisConnection<byte[], byte[]> c = connection;
    if (c != null) {
      return c;
    }
    synchronized (connecting) {
      if (connection == null) {
        connection = client.connect(ByteArrayCodec.INSTANCE);
      }
      return connection;
    }
  }

  private RedisCommands<byte[], byte[]> sync() {
    return connection().sync();
  }

  /** The result of {@link #accept}. */
  sealed interface Accepted {
    /** Sequenced in {@code epoch}: acknowledged once the commit mark of that epoch reaches {@code seq}. */
    record Ok(long seq, int previousColor, long timestampMillis, String epoch) implements Accepted {}

    record RateLimited(long retryAfterMs) implements Accepted {}

    record NotReady() implements Accepted {}

    /** {@link #MAX_UNSTORED} pixels already wait for the log writer: the store is not keeping up. */
    record Backlog() implements Accepted {}

    /** A conditional edit whose pixel no longer holds the expected colour; nothing changed. */
    record Skipped() implements Accepted {}
  }

  /** Sends the accept script without waiting, so that a batch of pixels shares round trips. */
  RedisFuture<List<Object>> acceptAsync(int offset, int color, String userId, String tool, int x, int y,
      SharedRateLimit limit, boolean exempt) {
    return acceptAsync(offset, color, userId, tool, x, y, limit, exempt, -1);
  }

  /** {@link #acceptAsync} for a server-made edit: applied only if the pixel holds {@code expectedColor} (-1: any). */
  RedisFuture<List<Object>> acceptAsync(int offset, int color, String userId, String tool, int x, int y,
      SharedRateLimit limit, boolean exempt, int expectedColor) {
    byte[][] keys = {b(CANVAS), b(SEQ), b(STREAM), b(EPOCH), b("pixels:rl:" + userId), b("pixels:rm:" + userId),
        b(STORED)};
    byte[][] args = {b(offset), b(color), b(userId), b(tool), b(x), b(y), b(limit.perSecond()), b(limit.burst()),
        b(limit.perMinute()), b(exempt ? 0 : 1), b(streamMaxLen), b(expectedColor), b(maxUnstored)};
    return connection().async().evalsha(ScriptSha.ACCEPT.sha, ScriptOutputType.MULTI, keys, args);
  }

  static Accepted parseAccepted(List<Object> reply) {
    return switch (str(reply.get(0))) {
      case "ok" -> new Accepted.Ok((Long) reply.get(1), ((Long) reply.get(2)).intValue(), (Long) reply.get(3),
          str(reply.get(4)));
      case "rate" -> new Accepted.RateLimited((Long) reply.get(1));
      case "skip" -> new Accepted.Skipped();
      case "backlog" -> new Accepted.Backlog();
      default -> new Accepted.NotReady();
    };
  }

  /** Loads the scripts (again, after a Redis restart forgot them). */
  void loadScripts() {
    for (ScriptSha script : ScriptSha.values()) {
      String sha = sync().scriptLoad(b(script.body));
      if (!sha.equals(script.sha)) {
        throw new IllegalStateException("redis computed another sha for " + script);
      }
    }
  }

  /** A consistent copy of the shared canvas at the commit mark; a null epoch means Redis holds no canvas. */
  record Snapshot(byte[] canvas, long seq, String epoch) {}

  /**
   * The shared canvas as of the commit mark: the bitmap with the pixels above the mark taken back,
   * newest first, to the colours their entries say they replaced.
   *
   * @throws IllegalStateException if the stream lacks an entry above the mark (then no stored
   *     state can be derived from the bitmap)
   */
  Snapshot snapshot(int width) {
    List<Object> r = eval(ScriptSha.SNAPSHOT, new byte[][] {b(CANVAS), b(SEQ), b(EPOCH), b(STREAM), b(STORED)});
    byte[] canvas = (byte[]) r.get(0);
    long seq = r.get(1) == null ? 0 : Long.parseLong(str(r.get(1)));
    String epoch = r.get(2) == null ? null : str(r.get(2));
    long stored = Long.parseLong(str(r.get(3)));
    List<Entry> above = entries(r.get(4));
    if (epoch == null || canvas == null || seq <= stored) {
      return new Snapshot(canvas, Math.min(seq, stored), epoch);
    }
    if (above.size() != seq - stored) {
      throw new IllegalStateException("the stream holds " + above.size() + " of the " + (seq - stored)
          + " entries above the commit mark " + stored + "; the canvas cannot be taken back to it");
    }
    for (int i = above.size() - 1; i >= 0; i--) {
      Entry e = above.get(i);
      canvas[e.y() * width + e.x()] = (byte) e.previousColor();
    }
    return new Snapshot(canvas, stored, epoch);
  }

  /** One stream entry, decoded. */
  record Entry(long seq, int x, int y, int color, int previousColor, String userId, long timestampMillis,
      String tool) {}

  /** What one read of the stream found: the epoch, the commit mark, and entries in seq order. */
  record Read(String epoch, long stored, List<Entry> entries) {}

  /** The stored entries after {@code seq}, at most {@code max}: what every replica shows. */
  Read readStored(long seq, int max) {
    List<Object> r = eval(ScriptSha.READ_STORED, new byte[][] {b(STREAM), b(EPOCH), b(STORED)}, b(seq), b(max));
    return new Read(r.get(0) == null ? null : str(r.get(0)), Long.parseLong(str(r.get(1))), entries(r.get(2)));
  }

  /** The entries above the commit mark, at most {@code max}: what the log writer stores next. */
  Read readUnstored(int max) {
    List<Object> r = eval(ScriptSha.READ_UNSTORED, new byte[][] {b(STREAM), b(EPOCH), b(STORED)}, b(max));
    return new Read(r.get(0) == null ? null : str(r.get(0)), Long.parseLong(str(r.get(1))), entries(r.get(2)));
  }

  /**
   * Raises the commit mark of {@code epoch} to {@code seq}; false, changing nothing, if Redis holds
   * another epoch by now (the entries stored were of a canvas Redis has since lost).
   */
  boolean commit(String epoch, long seq) {
    List<Object> r = eval(ScriptSha.COMMIT, new byte[][] {b(EPOCH), b(STORED), b(COMMITS)}, b(epoch), b(seq));
    return ((Long) r.get(0)) == 1;
  }

  /** Hears that the commit mark of {@code epoch} rose to {@code seq}. */
  interface CommitListener {
    void committed(String epoch, long seq);
  }

  /**
   * Subscribes {@code listener} to the commit announcements, on a connection of its own (a
   * subscribed connection takes no other commands); Lettuce subscribes again after a reconnect.
   * The listener runs on a Lettuce thread and must not block. Announcements are a shortcut for
   * acknowledging sooner, not the only path: one lost while disconnected is made up by the next.
   *
   * @throws io.lettuce.core.RedisException if Redis cannot be reached now; call again later
   */
  void subscribeCommits(CommitListener listener) {
    synchronized (connecting) {
      if (commits != null) {
        return;
      }
      io.lettuce.core.pubsub.StatefulRedisPubSubConnection<byte[], byte[]> c = client.connectPubSub(ByteArrayCodec.INSTANCE);
      c.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
        @Override
        public void message(byte[] channel, byte[] message) {
          String text = str(message);
          int space = text.lastIndexOf(' ');
          if (space > 0) {
            listener.committed(text.substring(0, space), Long.parseLong(text.substring(space + 1)));
          }
        }
      });
      try {
        c.sync().subscribe(b(COMMITS));
      } catch (RuntimeException e) {
        c.closeAsync();
        throw e;
      }
      commits = c;
    }
  }

  private static List<Entry> entries(Object rawList) {
    @SuppressWarnings("unchecked")
    List<Object> raw = (List<Object>) rawList;
    List<Entry> entries = new java.util.ArrayList<>(raw.size());
    for (Object o : raw) {
      @SuppressWarnings("unchecked")
      List<Object> entry = (List<Object>) o;
      String id = str(entry.get(0));
      @SuppressWarnings("unchecked")
      List<Object> fields = (List<Object>) entry.get(1);
      java.util.Map<String, String> f = new java.util.HashMap<>();
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        f.put(str(fields.get(i)), str(fields.get(i + 1)));
      }
      int x = Integer.parseInt(f.get("x"));
      int y = Integer.parseInt(f.get("y"));
      entries.add(new Entry(Long.parseLong(id.substring(0, id.indexOf('-'))), x, y, Integer.parseInt(f.get("c")), Integer.parseInt(f.get("p")), f.get("u"), Long.parseLong(f.get("t")),
          f.get("tool")));
    }
    return entries;
  }

  /**
   * Installs a canvas read from the store, at {@code seq}, as epoch {@code epoch}; false, changing
   * nothing, if Redis already holds a canvas. A rebuild reads the store long before it installs
   * (the grace period), and Redis may have been emptied and rebuilt by another instance meanwhile,
   * which has since sequenced and stored more: installing over it would hand those seqs out again.
   */
  boolean install(byte[] canvas, long seq, String epoch) {
    List<Object> r = eval(ScriptSha.INSTALL, new byte[][] {b(CANVAS), b(SEQ), b(STREAM), b(EPOCH), b(STORED)},
        canvas, b(seq), b(epoch));
    return ((Long) r.get(0)) == 1;
  }

  /** Takes or extends {@code lease} for {@code holder}; true if held now. */
  boolean lease(String lease, String holder, Duration ttl) {
    List<Object> r = eval(ScriptSha.LEASE, new byte[][] {b(lease)}, b(holder), b(ttl.toMillis()));
    return ((Long) r.get(0)) == 1;
  }

  /** Gives {@code lease} up if {@code holder} holds it, waiting at most {@code timeout} for Redis. */
  void release(String lease, String holder, Duration timeout) {
    if (connection == null) {
      return; // never connected, so never took a lease; connecting now could outlast the timeout
    }
    try {
      connection().async().evalsha(ScriptSha.RELEASE.sha, ScriptOutputType.INTEGER, new byte[][] {b(lease)}, b(holder))
          .get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new io.lettuce.core.RedisException("could not release " + lease, e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new io.lettuce.core.RedisCommandTimeoutException("no answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.lettuce.core.RedisCommandInterruptedException(e);
    }
  }

  void release(String lease, String holder) {
    eval(ScriptSha.RELEASE, new byte[][] {b(lease)}, b(holder));
  }

  /** The last seq handed out. */
  long seq() {
    byte[] v = sync().get(b(SEQ));
    return v == null ? 0 : Long.parseLong(str(v));
  }

  /** Moves the version of shared state {@code topic} on, so every instance's poll sees a change. */
  void bumpVersion(String topic) {
    sync().incr(b("pixels:version:" + topic));
  }

  /** The version of shared state {@code topic}; null if never bumped (or Redis lost it). */
  String version(String topic) {
    byte[] v = sync().get(b("pixels:version:" + topic));
    return v == null ? null : str(v);
  }

  private List<Object> eval(ScriptSha script, byte[][] keys, byte[]... args) {
    try {
      return wrap(sync().evalsha(script.sha, ScriptOutputType.MULTI, keys, args));
    } catch (RedisNoScriptException e) {
      loadScripts();
      return wrap(sync().evalsha(script.sha, ScriptOutputType.MULTI, keys, args));
    }
  }

  private static List<Object> wrap(Object reply) {
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) reply;
    return list;
  }

  /** Counts a command that failed or timed out, for {@code pixels_redis_errors_total}. */
  void commandFailed() {
    errors.increment();
  }

  /**
   * Disconnects, waiting at most {@code timeout} in all for the client's threads to stop (they are
   * Lettuce's own; shutting them down needs no answer from Redis).
   */
  void close(Duration timeout) {
    long half = Math.max(1, timeout.toMillis() / 2);
    StatefulRedisConnection<byte[], byte[]> c = connection;
    if (c != null) {
      c.closeAsync();
    }
    synchronized (connecting) {
      if (commits != null) {
        commits.closeAsync();
      }
    }
    client.shutdown(0, half, java.util.concurrent.TimeUnit.MILLISECONDS);
    resources.shutdown(0, half, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(4));
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] b(long n) {
    return b(Long.toString(n));
  }

  static String str(Object o) {
    return o instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(o);
  }

  /** The scripts with their SHA-1, computed once so that calls send only the digest. */
  private enum ScriptSha {
    ACCEPT(RedisCanvas.ACCEPT), SNAPSHOT(RedisCanvas.SNAPSHOT), READ_STORED(RedisCanvas.READ_STORED),
    READ_UNSTORED(RedisCanvas.READ_UNSTORED), COMMIT(RedisCanvas.COMMIT), INSTALL(RedisCanvas.INSTALL),
    LEASE(RedisCanvas.LEASE), RELEASE(RedisCanvas.RELEASE);

    final String body;
    final String sha;

    ScriptSha(String body) {
      this.body = body;
      this.sha = sha1(body);
    }

    private static String sha1(String text) {
      try {
        return java.util.HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK ships SHA-1", e);
      }
    }
  }
}
