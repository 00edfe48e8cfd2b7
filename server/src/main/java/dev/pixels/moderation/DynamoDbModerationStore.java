package dev.pixels.moderation;

import dev.pixels.canvas.Region;
import dev.pixels.storage.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Locks, bans and the moderation audit in one DynamoDB table {@code <prefix>moderation}, shared by
 * every instance. Keys ({@code pk}, {@code sk}): {@code lock} / {@code x1,y1,x2,y2}; {@code ban} /
 * ban id; {@code audit} / the id zero-padded to 19 digits, so that key order is id order; and the
 * counter {@code audit-id} / {@code -} that hands out ids atomically across instances. Moderation
 * writes are rare (people click them), so one partition per kind is never hot.
 *
 * <p>Instants are stored as ISO-8601 strings, exact to the nanosecond, so an instance that reloads
 * a lock gets back a record equal to the one its creator holds.
 *
 * <p>Concurrency: the SDK client is thread-safe and the class holds no other state; calls come
 * from the moderation thread. Every read is strongly consistent, so a reload after another
 * instance's change sees that change.
 */
final class DynamoDbModerationStore implements ModerationStore {
  private final DynamoDbClient client;
  private final String table;

  DynamoDbModerationStore(DynamoDbClient client, String table) {
    this.client = client;
    this.table = table;
  }

  @Override
  public List<Lock> locks() {
    return all("lock", item -> new Lock(regionOf(item.get("sk").s()), opt(item, "reason"), item.get("by").s(),
        Instant.parse(item.get("at").s()), instantOrNull(item, "exp")));
  }

  @Override
  public void saveLock(Lock lock) {
    Map<String, AttributeValue> item = key("lock", regionKey(lock.region()));
    item.put("by", s(lock.createdBy()));
    item.put("at", s(lock.createdAt().toString()));
    putOptional(item, "reason", lock.reason());
    putOptional(item, "exp", lock.expiresAt() == null ? null : lock.expiresAt().toString());
    put(item);
  }

  @Override
  public boolean deleteLock(Region region) {
    return delete(key("lock", regionKey(region)));
  }

  @Override
  public List<Ban> bans() {
    return all("ban", item -> new Ban(item.get("sk").s(), Ban.Kind.valueOf(item.get("kind").s()),
        item.get("subject").s(), opt(item, "reason"), item.get("by").s(), Instant.parse(item.get("at").s()),
        instantOrNull(item, "until")));
  }

  @Override
  public void saveBan(Ban ban) {
    Map<String, AttributeValue> item = key("ban", ban.id());
    item.put("kind", s(ban.kind().name()));
    item.put("subject", s(ban.subject()));
    item.put("by", s(ban.createdBy()));
    item.put("at", s(ban.createdAt().toString()));
    putOptional(item, "reason", ban.reason());
    putOptional(item, "until", ban.until() == null ? null : ban.until().toString());
    put(item);
  }

  @Override
  public boolean deleteBan(String id) {
    return delete(key("ban", id));
  }

  @Override
  public AuditEntry audit(AuditEntry entry) {
    try {
      var counter = client.updateItem(b -> b.tableName(table).key(key("audit-id", "-"))
          .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
          .returnValues(ReturnValue.UPDATED_NEW));
      long id = Long.parseLong(counter.attributes().get("n").n());
      Map<String, AttributeValue> item = key("audit", auditKey(id));
      item.put("action", s(entry.action()));
      item.put("actor", s(entry.actor()));
      item.put("at", s(entry.at().toString()));
      item.put("params", s(entry.paramsJson()));
      put(item);
      return new AuditEntry(id, entry.action(), entry.actor(), entry.at(), entry.paramsJson());
    } catch (SdkException e) {
      throw new StoreException("could not append to the moderation audit in " + table, e);
    }
  }

  @Override
  public List<AuditEntry> auditLog(long beforeId, int limit) {
    try {
      QueryResponse page = client.query(QueryRequest.builder().tableName(table)
          .keyConditionExpression("pk = :pk AND sk < :before")
          .expressionAttributeValues(Map.of(":pk", s("audit"), ":before", s(auditKey(beforeId))))
          .scanIndexForward(false).consistentRead(true).limit(limit).build());
      List<AuditEntry> entries = new ArrayList<>(page.items().size());
      for (Map<String, AttributeValue> item : page.items()) {
        entries.add(new AuditEntry(Long.parseLong(item.get("sk").s()), item.get("action").s(), item.get("actor").s(),
            Instant.parse(item.get("at").s()), item.get("params").s()));
      }
      return entries;
    } catch (SdkException e) {
      throw new StoreException("could not read the moderation audit from " + table, e);
    }
  }

  private <T> List<T> all(String pk, Function<Map<String, AttributeValue>, T> decode) {
    try {
      List<T> out = new ArrayList<>();
      Map<String, AttributeValue> start = null;
      do {
        Map<String, AttributeValue> from = start;
        QueryResponse page = client.query(b -> b.tableName(table).keyConditionExpression("pk = :pk")
            .expressionAttributeValues(Map.of(":pk", s(pk))).consistentRead(true).exclusiveStartKey(from));
        page.items().forEach(item -> out.add(decode.apply(item)));
        start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
      } while (start != null);
      return out;
    } catch (SdkException e) {
      throw new StoreException("could not read the " + pk + " items from " + table, e);
    }
  }

  private void put(Map<String, AttributeValue> item) {
    try {
      client.putItem(b -> b.tableName(table).item(item));
    } catch (SdkException e) {
      throw new StoreException("could not write a " + item.get("pk").s() + " item to " + table, e);
    }
  }

  private boolean delete(Map<String, AttributeValue> key) {
    try {
      var old = client.deleteItem(b -> b.tableName(table).key(key).returnValues(ReturnValue.ALL_OLD)).attributes();
      return old != null && !old.isEmpty();
    } catch (SdkException e) {
      throw new StoreException("could not delete a " + key.get("pk").s() + " item from " + table, e);
    }
  }

  static String auditKey(long id) {
    return String.format("%019d", Math.max(0, id));
  }

  private static String regionKey(Region r) {
    return r.x1() + "," + r.y1() + "," + r.x2() + "," + r.y2();
  }

  private static Region regionOf(String key) {
    String[] p = key.split(",");
    return new Region(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    Map<String, AttributeValue> key = new HashMap<>();
    key.put("pk", s(pk));
    key.put("sk", s(sk));
    return key;
  }

  private static void putOptional(Map<String, AttributeValue> item, String name, String value) {
    if (value != null) {
      item.put(name, s(value));
    }
  }

  private static String opt(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? item.get(name).s() : null;
  }

  private static Instant instantOrNull(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? Instant.parse(item.get(name).s()) : null;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  @Override
  public void close() {
    client.close();
  }
}
