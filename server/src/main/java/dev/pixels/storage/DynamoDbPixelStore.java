package dev.pixels.storage;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Tool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The pixel store on DynamoDB: the pixel log in {@code <prefix>log}, the chunked canvas and the log
 * head in {@code <prefix>canvas}. The key design and its reasons are in {@code docs/storage.md}.
 *
 * <p>Log items are keyed {@code pk = "b#" + seq / LOG_BUCKET}, {@code seq}: a replay after a seq is
 * a run of queries over consecutive buckets, and since a bucket holds only {@link #LOG_BUCKET}
 * pixels, no partition key takes more than that many writes however busy the canvas is. Each item
 * also carries the user and tile keys of the two indexes used for rollback and rewind.
 *
 * <p>The canvas is stored as {@link #CHUNK_SIDE}² tiles, each deflated into its own item (at most
 * 64 KiB raw, far below the 400 KB item limit at any canvas size), written only when it changed,
 * and only if its stored {@code version} is the one this store last saw: two snapshotters can never
 * overwrite each other's newer tile with an older one. The {@code meta} item names the seq that
 * every tile is at least as new as; recovery replays the log after it, and since log entries
 * carry absolute colours, tiles that are newer than {@code meta} give the same final canvas.
 *
 * <p>Commit: BatchWriteItem stores at most 25 items per request and TransactWriteItems at most
 * 100, so a batch (up to 10,000 pixels from the batcher, 1,000 from the cluster's log writer) cannot be
 * written atomically. The {@code head} item (the highest seq whose batch was completely written)
 * is therefore the commit mark: {@link #append} raises it only after every item of its batch is
 * stored, and every reader ({@link #replay}, the
 * log walk and the indexes of {@link #history}) ignores log items above it. A failed append can
 * leave part of its batch stored above the head; since every item is a plain put keyed by its
 * seq, repeating the batch completes it and a batch that reuses those seqs overwrites it, before
 * the head moves past them. In cluster mode one instance at a time writes the log (the writer
 * lease), always the same content for a seq, so a batch repeated by the next writer is the same
 * batch; see docs/storage.md.
 *
 * <p>Concurrency rules:
 *
 * <ul>
 *   <li>The SDK client is thread-safe and shared by every caller.
 *   <li>{@link #append} is called by one writer thread at a time (the batcher or the cluster's log
 *       writer); {@code lastAppended} is that thread's alone after {@link #rememberHead}. Its
 *       25-item requests run side by side on {@code pixels-dynamodb-write-*} threads, and it
 *       returns only once every one has ended.
 *   <li>{@link #saveCheckpoint} and {@link #latestCheckpoint} hold this object's monitor, which
 *       guards the chunk bookkeeping; appends never take it, so a slow snapshot never delays one.
 *   <li>{@link #replay}, {@link #logAfter} and {@link #history} read the head first and nothing above it, so they
 *       may run on any thread beside an append and never see its batch half written.
 * </ul>
 */
final class DynamoDbPixelStore implements PixelStore {
  private static final Logger log = LoggerFactory.getLogger(DynamoDbPixelStore.class);

  /** Pixels per log partition key. */
  static final long LOG_BUCKET = 100;
  /** Side of one canvas tile; 256² bytes = 64 KiB raw per item before compression. */
  static final int CHUNK_SIDE = 256;
  /** Side of the rewind index tiles; see docs/storage.md. */
  static final int REGION_TILE = 32;
  /** The rewind index groups pixels by hour as well, so a busy tile is a new key every hour. */
  static final long REGION_HOUR_MILLIS = 3_600_000;
  static final String USER_INDEX = "by-user";
  static final String REGION_INDEX = "by-region";

  private static final int BATCH_WRITE_LIMIT = 25;
  /** BatchWriteItem requests of one append in flight at once. */
  static final int PARALLEL_WRITES = 8;
  private static final int MAX_WRITE_ATTEMPTS = 8;
  private static final long BACKOFF_BASE_MS = 25;
  private static final long BACKOFF_CAP_MS = 1_000;

  private final DynamoDbClient client;
  private final String logTable;
  private final String canvasTable;
  private final Map<Integer, Long> chunkVersions = new HashMap<>(); // guarded by this
  private byte[] lastSaved; // guarded by this; the bitmap as this store last wrote it
  private long savedSeq = -1; // guarded by this; the seq of lastSaved
  private final DynamoDbHistory history;
  /** Runs the requests of one append side by side; daemon threads, idle ones time out. */
  private final java.util.concurrent.ThreadPoolExecutor writers;
  /** The highest seq this process appended, or the head it found when opened. */
  private long lastAppended; // appender thread only, after open

  DynamoDbPixelStore(DynamoDbClient client, String tablePrefix) {
    this.client = client;
    this.logTable = tablePrefix + "log";
    this.canvasTable = tablePrefix + "canvas";
    this.history = new DynamoDbHistory(client, logTable, this::head);
    java.util.concurrent.atomic.AtomicInteger threads = new java.util.concurrent.atomic.AtomicInteger();
    this.writers = new java.util.concurrent.ThreadPoolExecutor(PARALLEL_WRITES, PARALLEL_WRITES, 30,
        java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "pixels-dynamodb-write-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    writers.allowCoreThreadTimeOut(true);
  }

  /** Reads the log head once, when the store is opened; see {@link #refuseUnlessAfterLog}. */
  void rememberHead() {
    lastAppended = head();
  }

  String logTable() {
    return logTable;
  }

  String canvasTable() {
    return canvasTable;
  }

  @Override
  public String name() {
    return "dynamodb";
  }

  /**
   * Stores every item of the batch (25 per request), then raises the head, which commits it; see
   * the class comment for what a failure leaves behind and why a retry is safe.
   */
  @Override
  public void append(List<PixelChange> batch) {
    if (batch.isEmpty()) {
      return;
    }
    refuseUnlessAfterLog(batch);
    List<WriteRequest> writes = new ArrayList<>(batch.size());
    for (PixelChange c : batch) {
      writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(logItem(c)).build()).build());
    }
    try {
      writeInParallel(writes);
      raiseHead(batch.get(batch.size() - 1).seq());
      lastAppended = batch.get(batch.size() - 1).seq();
    } catch (ProvisionedThroughputExceededException | RequestLimitExceededException e) {
      throw new StoreBusyException("DynamoDB is throttling writes", BACKOFF_CAP_MS, e);
    } catch (SdkException e) {
      throw new StoreException("could not write a batch of " + batch.size() + " pixels to " + logTable, e);
    }
  }

  /**
   * Refuses, before writing anything, a batch that is not in strictly rising seq order or does not
   * start above what this process appended last (or the log head it found before its first
   * append). BatchWriteItem has no conditions, so this in-process check is what keeps a replayed
   * or misordered batch from overwriting logged pixels; it costs one read per process (at open,
   * before this instance sequences anything, so the head cannot yet be above a seq it will be
   * given), not one per batch. A writer that takes the log over from one that died reads the log's
   * head first and starts above it. See docs/storage.md.
   */
  private void refuseUnlessAfterLog(List<PixelChange> batch) {
    long previous = lastAppended;
    for (PixelChange c : batch) {
      if (c.seq() <= previous) {
        throw new LogOrderException("batch refused: seq " + c.seq() + " does not follow seq " + previous
            + " already in the log");
      }
      previous = c.seq();
    }
  }

  /**
   * Writes {@code writes} as 25-item BatchWriteItem requests, up to {@link #PARALLEL_WRITES} of
   * them at once, and returns when every one has ended: a batch's latency is then a few request
   * round trips rather than one per 25 items, and nothing of it is still in flight when the caller
   * retries or moves on. The first failure is rethrown once all have ended.
   */
  private void writeInParallel(List<WriteRequest> writes) {
    if (writes.size() <= BATCH_WRITE_LIMIT) {
      writeAll(writes);
      return;
    }
    List<java.util.concurrent.Future<?>> requests = new ArrayList<>();
    for (int start = 0; start < writes.size(); start += BATCH_WRITE_LIMIT) {
      List<WriteRequest> part = writes.subList(start, Math.min(writes.size(), start + BATCH_WRITE_LIMIT));
      requests.add(writers.submit(() -> writeAll(part)));
    }
    RuntimeException failure = null;
    boolean interrupted = false;
    for (java.util.concurrent.Future<?> request : requests) {
      while (true) {
        try {
          request.get();
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof RuntimeException r ? r
                : new StoreException("a DynamoDB write failed", e.getCause());
          }
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the requests still end by their own timeouts; wait for them
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** One BatchWriteItem, retrying what DynamoDB left unprocessed with capped, jittered backoff. */
  private void writeAll(List<WriteRequest> requests) {
    Map<String, List<WriteRequest>> pending = Map.of(logTable, requests);
    for (int attempt = 0; ; attempt++) {
      Map<String, List<WriteRequest>> now = pending;
      BatchWriteItemResponse response = client.batchWriteItem(b -> b.requestItems(now));
      Map<String, List<WriteRequest>> unprocessed = response.unprocessedItems();
      if (unprocessed == null || unprocessed.isEmpty() || unprocessed.values().stream().allMatch(List::isEmpty)) {
        return;
      }
      if (attempt + 1 >= MAX_WRITE_ATTEMPTS) {
        throw new StoreBusyException(
            "DynamoDB left " + unprocessed.get(logTable).size() + " log items unprocessed after "
                + MAX_WRITE_ATTEMPTS + " attempts", BACKOFF_CAP_MS, null);
      }
      pending = unprocessed;
      sleepQuietly(backoffMillis(attempt));
    }
  }

  /** Full jitter: a random wait up to the capped exponential step, so retrying writers spread out. */
  static long backoffMillis(int attempt) {
    long ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS << Math.min(attempt, 20));
    return ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting to retry a DynamoDB write", e);
    }
  }

  private void raiseHead(long seq) {
    try {
      client.updateItem(b -> b.tableName(canvasTable)
          .key(Map.of("pk", s("head")))
          .updateExpression("SET #s = :s")
          .conditionExpression("attribute_not_exists(#s) OR #s < :s")
          .expressionAttributeNames(Map.of("#s", "seq"))
          .expressionAttributeValues(Map.of(":s", n(seq))));
    } catch (ConditionalCheckFailedException alreadyHigher) {
      // Another instance stored a later batch first; the head only ever moves up.
    }
  }

  static Map<String, AttributeValue> logItem(PixelChange c) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(bucketKey(c.seq())));
    item.put("seq", n(c.seq()));
    item.put("x", n(c.x()));
    item.put("y", n(c.y()));
    item.put("c", n(c.color()));
    item.put("p", n(c.previousColor()));
    item.put("u", s(c.userId()));
    item.put("t", n(c.timestampMillis()));
    item.put("tool", s(c.tool().wireName()));
    item.put("r", s(regionKey(c.x(), c.y(), c.timestampMillis())));
    return item;
  }

  static String bucketKey(long seq) {
    return "b#" + seq / LOG_BUCKET;
  }

  /** The rewind index key: the pixel's tile and hour. */
  static String regionKey(int x, int y, long timestampMillis) {
    return "r#" + x / REGION_TILE + "," + y / REGION_TILE + "#" + timestampMillis / REGION_HOUR_MILLIS;
  }

  static PixelChange change(Map<String, AttributeValue> item) {
    return new PixelChange(num(item, "seq"), (int) num(item, "x"), (int) num(item, "y"), (int) num(item, "c"),
        (int) num(item, "p"), item.get("u").s(), num(item, "t"), Tool.fromWire(item.get("tool").s()));
  }

  @Override
  public void replay(long afterSeq, Consumer<PixelChange> sink) {
    try {
      long head = head();
      if (head <= afterSeq) {
        return;
      }
      for (long bucket = Math.max(0, afterSeq) / LOG_BUCKET; bucket <= head / LOG_BUCKET; bucket++) {
        String key = "b#" + bucket;
        Map<String, AttributeValue> startKey = null;
        do {
          Map<String, AttributeValue> from = startKey;
          QueryResponse page = client.query(QueryRequest.builder().tableName(logTable)
              .keyConditionExpression("pk = :pk AND #s BETWEEN :lo AND :hi")
              .expressionAttributeNames(Map.of("#s", "seq"))
              .expressionAttributeValues(Map.of(":pk", s(key), ":lo", n(afterSeq + 1), ":hi", n(head)))
              .consistentRead(true)
              .exclusiveStartKey(from)
              .build());
          page.items().forEach(item -> sink.accept(change(item)));
          startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
      }
    } catch (SdkException e) {
      throw new StoreException("could not read the pixel log after seq " + afterSeq, e);
    }
  }

  @Override
  public List<PixelChange> logAfter(long afterSeq, int limit) {
    try {
      long head = head();
      List<PixelChange> page = new ArrayList<>(Math.min(limit, 1024));
      if (head <= afterSeq) {
        return page;
      }
      for (long bucket = Math.max(0, afterSeq) / LOG_BUCKET; bucket <= head / LOG_BUCKET && page.size() < limit;
          bucket++) {
        Map<String, AttributeValue> startKey = null;
        do {
          Map<String, AttributeValue> from = startKey;
          int wanted = limit - page.size();
          QueryResponse response = client.query(QueryRequest.builder().tableName(logTable)
              .keyConditionExpression("pk = :pk AND #s BETWEEN :lo AND :hi")
              .expressionAttributeNames(Map.of("#s", "seq"))
              .expressionAttributeValues(Map.of(":pk", s("b#" + bucket), ":lo", n(afterSeq + 1), ":hi", n(head)))
              .consistentRead(true)
              .limit(wanted)
              .exclusiveStartKey(from)
              .build());
          response.items().forEach(item -> page.add(change(item)));
          startKey = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
              ? response.lastEvaluatedKey() : null;
        } while (startKey != null && page.size() < limit);
      }
      return page;
    } catch (SdkException e) {
      throw new StoreException("could not read the pixel log after seq " + afterSeq, e);
    }
  }

  /** The highest seq whose batch is completely stored, or 0. */
  long head() {
    var item = client.getItem(b -> b.tableName(canvasTable).key(Map.of("pk", s("head"))).consistentRead(true)).item();
    return item == null || !item.containsKey("seq") ? 0 : num(item, "seq");
  }

  @Override
  public synchronized Optional<Checkpoint> latestCheckpoint() {
    try {
      var meta = client.getItem(b -> b.tableName(canvasTable).key(Map.of("pk", s("meta"))).consistentRead(true)).item();
      if (meta == null || meta.isEmpty()) {
        return Optional.empty();
      }
      int width = (int) num(meta, "width");
      int height = (int) num(meta, "height");
      long seq = num(meta, "seq");
      byte[] pixels = new byte[width * height];
      int chunks = chunkCount(width, height);
      chunkVersions.clear();
      for (int i = 0; i < chunks; i++) {
        int index = i;
        var item = client.getItem(b -> b.tableName(canvasTable).key(Map.of("pk", s(chunkKey(index))))
            .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
          continue; // never written: still the background colour
        }
        chunkVersions.put(i, num(item, "version"));
        byte[] tile = SqlitePixelStore.inflate(item.get("data").b().asByteArray(), tileBytes(width, height, i));
        writeTile(tile, width, height, i, pixels);
      }
      lastSaved = pixels.clone();
      savedSeq = seq;
      return Optional.of(new Checkpoint(seq, width, height, pixels));
    } catch (SdkException e) {
      throw new StoreException("could not read the canvas from " + canvasTable, e);
    }
  }

  @Override
  public synchronized void saveCheckpoint(Checkpoint checkpoint) {
    int width = checkpoint.width();
    int height = checkpoint.height();
    byte[] pixels = checkpoint.pixels();
    if (lastSaved != null && lastSaved.length != pixels.length) {
      lastSaved = null;
    }
    if (checkpoint.seq() < savedSeq) {
      return; // an older canvas than the one stored; "latest" must stay the highest seq
    }
    int written = 0;
    try {
      for (int i = 0; i < chunkCount(width, height); i++) {
        byte[] tile = new byte[tileBytes(width, height, i)];
        readTile(pixels, width, height, i, tile);
        if (lastSaved != null && !tileChanged(tile, width, height, i)) {
          continue;
        }
        writeChunk(i, tile, checkpoint.seq());
        written++;
      }
      client.updateItem(b -> b.tableName(canvasTable).key(Map.of("pk", s("meta")))
          .updateExpression("SET #s = :s, width = :w, height = :h, chunkSide = :c")
          .conditionExpression("attribute_not_exists(#s) OR #s <= :s")
          .expressionAttributeNames(Map.of("#s", "seq"))
          .expressionAttributeValues(Map.of(":s", n(checkpoint.seq()), ":w", n(width), ":h", n(height),
              ":c", n(CHUNK_SIDE))));
      lastSaved = pixels.clone();
      savedSeq = checkpoint.seq();
      log.debug("checkpoint at seq {}: {} changed chunks written", checkpoint.seq(), written);
    } catch (ConditionalCheckFailedException newer) {
      lastSaved = null; // someone saved a newer canvas; our view of the chunks is stale
    } catch (SdkException e) {
      lastSaved = null;
      throw new StoreException("could not save the canvas checkpoint at seq " + checkpoint.seq(), e);
    }
  }

  /**
   * Writes one tile if its stored version is still the one we know; if another writer got there
   * first, re-reads the version and writes only if the stored tile is older than ours.
   */
  private void writeChunk(int index, byte[] tile, long seq) {
    SdkBytes data = SdkBytes.fromByteArray(SqlitePixelStore.deflate(tile));
    for (int attempt = 0; attempt < 3; attempt++) {
      Long known = chunkVersions.get(index);
      long next = known == null ? 1 : known + 1;
      try {
        client.putItem(b -> b.tableName(canvasTable)
            .item(Map.of("pk", s(chunkKey(index)), "data", AttributeValue.fromB(data), "seq", n(seq),
                "version", n(next)))
            .conditionExpression(known == null ? "attribute_not_exists(pk)" : "version = :v AND seq <= :s")
            .expressionAttributeValues(known == null ? null : Map.of(":v", n(known), ":s", n(seq))));
        chunkVersions.put(index, next);
        return;
      } catch (ConditionalCheckFailedException raced) {
        var stored = client.getItem(b -> b.tableName(canvasTable).key(Map.of("pk", s(chunkKey(index))))
            .consistentRead(true)).item();
        chunkVersions.put(index, num(stored, "version"));
        if (num(stored, "seq") >= seq) {
          return; // a newer tile is already stored; ours would move it backwards
        }
      }
    }
    throw new StoreException("tile " + index + " kept changing under concurrent writers");
  }

  private boolean tileChanged(byte[] tile, int width, int height, int index) {
    byte[] old = new byte[tile.length];
    readTile(lastSaved, width, height, index, old);
    return !java.util.Arrays.equals(old, tile);
  }

  static int chunkCount(int width, int height) {
    return tilesAcross(width) * tilesAcross(height);
  }

  private static int tilesAcross(int side) {
    return (side + CHUNK_SIDE - 1) / CHUNK_SIDE;
  }

  private static int tileBytes(int width, int height, int index) {
    int tx = index % tilesAcross(width);
    int ty = index / tilesAcross(width);
    return Math.min(CHUNK_SIDE, width - tx * CHUNK_SIDE) * Math.min(CHUNK_SIDE, height - ty * CHUNK_SIDE);
  }

  /** Receives one row of a tile: where it starts in the canvas and in the tile, and its length. */
  private interface RowCopy {
    void copy(int canvasOffset, int tileOffset, int length);
  }

  private static void forEachTileRow(int width, int height, int index, RowCopy copy) {
    int x0 = index % tilesAcross(width) * CHUNK_SIDE;
    int y0 = index / tilesAcross(width) * CHUNK_SIDE;
    int w = Math.min(CHUNK_SIDE, width - x0);
    int h = Math.min(CHUNK_SIDE, height - y0);
    for (int row = 0; row < h; row++) {
      copy.copy((y0 + row) * width + x0, row * w, w);
    }
  }

  private static void readTile(byte[] canvas, int width, int height, int index, byte[] tile) {
    forEachTileRow(width, height, index, (c, t, len) -> System.arraycopy(canvas, c, tile, t, len));
  }

  private static void writeTile(byte[] tile, int width, int height, int index, byte[] canvas) {
    forEachTileRow(width, height, index, (c, t, len) -> System.arraycopy(tile, t, canvas, c, len));
  }

  static String chunkKey(int index) {
    return "chunk#" + index;
  }

  @Override
  public boolean isHealthy() {
    try {
      client.describeTable(b -> b.tableName(canvasTable));
      return true;
    } catch (SdkException e) {
      return false;
    }
  }

  @Override
  public void close() {
    writers.shutdownNow();
    client.close();
  }

  static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  static long num(Map<String, AttributeValue> item, String name) {
    return Long.parseLong(item.get(name).n());
  }

  @Override
  public List<PixelChange> history(HistoryQuery query) {
    try {
      return history.page(query);
    } catch (SdkException e) {
      throw new StoreException("could not read the pixel history from " + logTable, e);
    }
  }
}
