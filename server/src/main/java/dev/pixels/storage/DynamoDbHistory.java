package dev.pixels.storage;

import static dev.pixels.storage.DynamoDbPixelStore.LOG_BUCKET;
import static dev.pixels.storage.DynamoDbPixelStore.REGION_HOUR_MILLIS;
import static dev.pixels.storage.DynamoDbPixelStore.REGION_INDEX;
import static dev.pixels.storage.DynamoDbPixelStore.REGION_TILE;
import static dev.pixels.storage.DynamoDbPixelStore.USER_INDEX;
import static dev.pixels.storage.DynamoDbPixelStore.n;
import static dev.pixels.storage.DynamoDbPixelStore.s;

import dev.pixels.canvas.PixelChange;
import dev.pixels.canvas.Region;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Answers {@link PixelStore#history} from the log table's keys and indexes, never by a scan:
 *
 * <ul>
 *   <li>a user: the {@code by-user} index (user, time), newest first;
 *   <li>a small region: the {@code by-region} index, one key per (32² tile, hour), walked hour by
 *       hour from the newest, so a page stops as soon as it is full;
 *   <li>anything else: the seq partitions, newest bucket first.
 * </ul>
 *
 * <p>The indexes are ordered by time, the cursor is a seq. That is sound because timestamps never
 * decrease along the seq: one batcher, or one Redis script ({@code TIME} on the single Redis node),
 * stamps pixels in seq order. A page reads past its last time until the time changes, then sorts
 * by seq, so equal timestamps (many pixels per millisecond) cannot split a page wrongly.
 *
 * <p>Only committed changes are returned: those at or below the log head (see {@link
 * DynamoDbPixelStore#append}); a stored item above it is what a failed append left behind.
 *
 * <p>Stateless apart from the thread-safe client; called from the moderation thread.
 */
final class DynamoDbHistory {
  /** Regions covering more tiles than this are read from the seq partitions instead. */
  static final int MAX_REGION_TILES = 16;
  private static final int QUERY_PAGE = 1_000;

  private final DynamoDbClient client;
  private final String logTable;
  private final LongSupplier head;

  DynamoDbHistory(DynamoDbClient client, String logTable, LongSupplier head) {
    this.client = client;
    this.logTable = logTable;
    this.head = head;
  }

  List<PixelChange> page(HistoryQuery q) {
    long newestSeq = Math.min(head.getAsLong(), q.beforeSeq() == Long.MAX_VALUE ? Long.MAX_VALUE : q.beforeSeq() - 1);
    if (newestSeq < 1) {
      return List.of();
    }
    // Items above the head belong to a batch whose append failed (or has not finished): the head
    // is the commit mark, so they are not part of the log yet. The index paths select by time and
    // would otherwise return them, since a failed batch is older than the one that reused its seqs.
    HistoryQuery committed = q.before(newestSeq + 1);
    return committedPage(committed, newestSeq);
  }

  private List<PixelChange> committedPage(HistoryQuery q, long newestSeq) {
    if (q.userId() != null) {
      return byUser(q, newestSeq);
    }
    if (q.region() != null && tiles(q.region()) <= MAX_REGION_TILES) {
      return byRegion(q, newestSeq);
    }
    return bySeq(q, newestSeq);
  }

  private List<PixelChange> byUser(HistoryQuery q, long newestSeq) {
    long until = Math.min(q.untilMillis(), timeAtOrBelow(newestSeq));
    if (until < q.sinceMillis()) {
      return List.of();
    }
    List<PixelChange> found = new ArrayList<>();
    QueryRequest request = QueryRequest.builder().tableName(logTable).indexName(USER_INDEX)
        .keyConditionExpression("u = :u AND t BETWEEN :lo AND :hi")
        .expressionAttributeValues(Map.of(":u", s(q.userId()), ":lo", n(q.sinceMillis()), ":hi", n(until)))
        .scanIndexForward(false).limit(QUERY_PAGE).build();
    readNewestFirst(request, q, found, true);
    return newestFirst(found, q.limit());
  }

  private List<PixelChange> byRegion(HistoryQuery q, long newestSeq) {
    Region r = q.region();
    long until = Math.min(q.untilMillis(), timeAtOrBelow(newestSeq));
    long since = q.sinceMillis() != Long.MIN_VALUE ? q.sinceMillis() : timeOfFirst(newestSeq);
    List<PixelChange> found = new ArrayList<>();
    for (long hour = until / REGION_HOUR_MILLIS; hour >= since / REGION_HOUR_MILLIS && found.size() < q.limit(); hour--) {
      for (int ty = r.y1() / REGION_TILE; ty <= r.y2() / REGION_TILE; ty++) {
        for (int tx = r.x1() / REGION_TILE; tx <= r.x2() / REGION_TILE; tx++) {
          String key = "r#" + tx + "," + ty + "#" + hour;
          QueryRequest request = QueryRequest.builder().tableName(logTable).indexName(REGION_INDEX)
              .keyConditionExpression("r = :r AND t BETWEEN :lo AND :hi")
              .expressionAttributeValues(Map.of(":r", s(key), ":lo", n(Math.max(since, q.sinceMillis())),
                  ":hi", n(until)))
              .scanIndexForward(false).limit(QUERY_PAGE).build();
          // Every match of this hour is needed: a tile read later in the hour may hold newer seqs.
          readNewestFirst(request, q, found, false);
        }
      }
    }
    return newestFirst(found, q.limit());
  }

  private List<PixelChange> bySeq(HistoryQuery q, long newestSeq) {
    List<PixelChange> found = new ArrayList<>();
    for (long bucket = newestSeq / LOG_BUCKET; bucket >= 0 && found.size() < q.limit(); bucket--) {
      QueryRequest request = QueryRequest.builder().tableName(logTable)
          .keyConditionExpression("pk = :pk AND #s <= :hi")
          .expressionAttributeNames(Map.of("#s", "seq"))
          .expressionAttributeValues(Map.of(":pk", s("b#" + bucket), ":hi", n(newestSeq)))
          .consistentRead(true).scanIndexForward(false).limit(QUERY_PAGE).build();
      if (!readNewestFirst(request, q, found, true)) {
        break; // reached changes older than the time range: every older bucket is older still
      }
    }
    return found.size() > q.limit() ? found.subList(0, q.limit()) : found;
  }

  /**
   * Reads {@code request}'s pages (newest first) into {@code found}. With {@code stopWhenFull} it
   * stops once the page is full and the time has moved past the last match's; it returns false if
   * it met a change older than the query's range, so that no older key needs reading.
   */
  private boolean readNewestFirst(QueryRequest request, HistoryQuery q, List<PixelChange> found, boolean stopWhenFull) {
    Map<String, AttributeValue> start = null;
    long fullAtTime = Long.MIN_VALUE;
    do {
      QueryResponse page = client.query(request.toBuilder().exclusiveStartKey(start).build());
      for (Map<String, AttributeValue> item : page.items()) {
        PixelChange c = DynamoDbPixelStore.change(item);
        if (stopWhenFull && found.size() >= q.limit() && c.timestampMillis() < fullAtTime) {
          return true;
        }
        if (c.timestampMillis() < q.sinceMillis()) {
          return false;
        }
        if (q.matches(c)) {
          found.add(c);
          if (found.size() == q.limit()) {
            fullAtTime = c.timestampMillis();
          }
        }
      }
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return true;
  }

  private static List<PixelChange> newestFirst(List<PixelChange> found, int limit) {
    found.sort(Comparator.comparingLong(PixelChange::seq).reversed());
    return found.size() > limit ? List.copyOf(found.subList(0, limit)) : found;
  }

  /**
   * The time of the newest logged change at or below {@code seq} (seqs may be missing: a pixel
   * Redis sequenced but no store confirmed), or {@code Long.MIN_VALUE} if there is none.
   */
  private long timeAtOrBelow(long seq) {
    for (long bucket = seq / LOG_BUCKET; bucket >= 0; bucket--) {
      var items = client.query(QueryRequest.builder().tableName(logTable)
          .keyConditionExpression("pk = :pk AND #s <= :hi")
          .expressionAttributeNames(Map.of("#s", "seq"))
          .expressionAttributeValues(Map.of(":pk", s("b#" + bucket), ":hi", n(seq)))
          .consistentRead(true).scanIndexForward(false).limit(1).build()).items();
      if (!items.isEmpty()) {
        return DynamoDbPixelStore.num(items.get(0), "t");
      }
    }
    return Long.MIN_VALUE;
  }

  /** The time of the oldest logged change at or below {@code newestSeq}. */
  private long timeOfFirst(long newestSeq) {
    Function<Long, QueryRequest> oldestIn = bucket -> QueryRequest.builder().tableName(logTable)
        .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s("b#" + bucket)))
        .consistentRead(true).limit(1).build();
    for (long bucket = 0; bucket <= newestSeq / LOG_BUCKET; bucket++) {
      var items = client.query(oldestIn.apply(bucket)).items();
      if (!items.isEmpty()) {
        return DynamoDbPixelStore.num(items.get(0), "t");
      }
    }
    return 0;
  }

  private static long tiles(Region r) {
    return (long) (r.x2() / REGION_TILE - r.x1() / REGION_TILE + 1) * (r.y2() / REGION_TILE - r.y1() / REGION_TILE + 1);
  }
}
