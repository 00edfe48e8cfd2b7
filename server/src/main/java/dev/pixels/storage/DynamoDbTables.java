package dev.pixels.storage;

import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Builds the DynamoDB client and, for a local server, the tables. On AWS the tables are created by
 * the operator (docs/storage.md has their definitions) and only checked here.
 */
final class DynamoDbTables {
  private DynamoDbTables() {}

  static DynamoDbClient client(DynamoDbSettings settings) {
    return client(settings, settings.callTimeout());
  }

  private static DynamoDbClient client(DynamoDbSettings settings, Duration callTimeout) {
    var builder = DynamoDbClient.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(Duration.ofSeconds(10)))
        .overrideConfiguration(o -> o.apiCallTimeout(callTimeout));
    if (settings.local()) {
      builder.endpointOverride(settings.endpoint())
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    }
    return builder.build();
  }

  static DynamoDbPixelStore open(DynamoDbSettings settings) {
    DynamoDbPixelStore store = new DynamoDbPixelStore(client(settings), settings.tablePrefix());
    // Creating tables may take far longer than a pixel write may, so setup has a client of its own.
    try (DynamoDbClient client = client(settings, Duration.ofSeconds(60))) {
      if (settings.local()) {
        createIfMissing(client, store.logTable(), logTableKeys());
        createIfMissing(client, store.canvasTable(), canvasTableKeys());
      } else {
        client.describeTable(b -> b.tableName(store.logTable()));
        client.describeTable(b -> b.tableName(store.canvasTable()));
      }
      store.rememberHead();
      return store;
    } catch (ResourceNotFoundException e) {
      store.close();
      throw new StoreException("DynamoDB table missing: " + e.getMessage()
          + "; create the tables described in docs/storage.md, or set DYNAMODB_LOCAL=true for a local server", e);
    } catch (SdkException e) {
      store.close();
      String where = settings.local() ? " at " + settings.endpoint() : "";
      throw new StoreException("cannot reach DynamoDB" + where + ": " + e.getMessage(), e);
    }
  }

  static DynamoDbClient openKeyValueTable(DynamoDbSettings settings, String table) {
    DynamoDbClient client = client(settings);
    try (DynamoDbClient setup = client(settings, Duration.ofSeconds(60))) {
      if (settings.local()) {
        createIfMissing(setup, table, new TableKeys(
            List.of(attr("pk", ScalarAttributeType.S), attr("sk", ScalarAttributeType.S)),
            List.of(hash("pk"), range("sk")), List.of()));
      } else {
        setup.describeTable(b -> b.tableName(table));
      }
      return client;
    } catch (ResourceNotFoundException e) {
      client.close();
      throw new StoreException("DynamoDB table missing: " + table
          + "; create the tables described in docs/storage.md, or set DYNAMODB_LOCAL=true for a local server", e);
    } catch (SdkException e) {
      client.close();
      throw new StoreException("cannot reach DynamoDB for " + table + ": " + e.getMessage(), e);
    }
  }

  /** Key attributes and indexes of a table. */
  private record TableKeys(List<AttributeDefinition> attributes, List<KeySchemaElement> key,
      List<GlobalSecondaryIndex> indexes) {}

  private static TableKeys logTableKeys() {
    return new TableKeys(
        List.of(attr("pk", ScalarAttributeType.S), attr("seq", ScalarAttributeType.N),
            attr("u", ScalarAttributeType.S), attr("t", ScalarAttributeType.N), attr("r", ScalarAttributeType.S)),
        List.of(hash("pk"), range("seq")),
        List.of(index(DynamoDbPixelStore.USER_INDEX, "u", "t"), index(DynamoDbPixelStore.REGION_INDEX, "r", "t")));
  }

  private static TableKeys canvasTableKeys() {
    return new TableKeys(List.of(attr("pk", ScalarAttributeType.S)), List.of(hash("pk")), List.of());
  }

  private static void createIfMissing(DynamoDbClient client, String table, TableKeys keys) {
    try {
      client.describeTable(b -> b.tableName(table));
      return;
    } catch (ResourceNotFoundException missing) {
      // Created below.
    }
    try {
      client.createTable(b -> {
        b.tableName(table).attributeDefinitions(keys.attributes()).keySchema(keys.key())
            .billingMode(BillingMode.PAY_PER_REQUEST);
        if (!keys.indexes().isEmpty()) {
          b.globalSecondaryIndexes(keys.indexes());
        }
      });
    } catch (ResourceInUseException createdByAnother) {
      // Instances started together all find the table missing; one creates it, and the others
      // wait for that one's table like their own.
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (client.describeTable(b -> b.tableName(table)).table().tableStatus() != TableStatus.ACTIVE) {
      if (System.nanoTime() > deadline) {
        throw new StoreException("table " + table + " did not become ACTIVE within 30 s");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("interrupted while creating " + table, e);
      }
    }
  }

  private static AttributeDefinition attr(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private static KeySchemaElement hash(String name) {
    return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
  }

  private static KeySchemaElement range(String name) {
    return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
  }

  private static GlobalSecondaryIndex index(String name, String hashKey, String rangeKey) {
    return GlobalSecondaryIndex.builder().indexName(name).keySchema(hash(hashKey), range(rangeKey))
        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build();
  }
}
