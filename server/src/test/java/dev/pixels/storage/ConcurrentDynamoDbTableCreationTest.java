package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Dynalite;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Instances started together against one empty local DynamoDB all create the same tables: each
 * one that finds a table being created by another waits for it instead of failing.
 */
class ConcurrentDynamoDbTableCreationTest {
  private static final int INSTANCES = 4;
  private static final int ROUNDS = 5;
  private static Dynalite dynalite;

  @BeforeAll
  static void startDynalite() {
    dynalite = Dynalite.start();
  }

  @AfterAll
  static void stopDynalite() {
    dynalite.close();
  }

  /** Runs {@code open} on {@link #INSTANCES} threads at once and returns what each opened. */
  private static <T> List<T> openedTogether(Callable<T> open) throws Exception {
    CyclicBarrier start = new CyclicBarrier(INSTANCES);
    ExecutorService threads = Executors.newFixedThreadPool(INSTANCES);
    try {
      List<Future<T>> opening = new ArrayList<>();
      for (int i = 0; i < INSTANCES; i++) {
        opening.add(threads.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return open.call();
        }));
      }
      List<T> opened = new ArrayList<>();
      for (Future<T> f : opening) {
        opened.add(f.get(60, TimeUnit.SECONDS));
      }
      return opened;
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void pixelStoresOpenedAtTheSameMomentOnAnEmptyDatabaseAllOpen() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      DynamoDbSettings settings = dynalite.freshSettings();
      List<PixelStore> stores = openedTogether(() -> PixelStores.dynamodb(settings));
      try {
        assertThat(stores).hasSize(INSTANCES);
        assertThat(stores).allMatch(PixelStore::isHealthy);
      } finally {
        stores.forEach(PixelStore::close);
      }
    }
  }

  @Test
  void featureTablesOpenedAtTheSameMomentOnAnEmptyDatabaseAllOpen() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      DynamoDbSettings settings = dynalite.freshSettings();
      List<DynamoDbClient> clients = openedTogether(() -> PixelStores.dynamodbTable(settings, "moderation"));
      try {
        assertThat(clients.getFirst().describeTable(b -> b.tableName(settings.tablePrefix() + "moderation"))
            .table().tableStatusAsString()).isEqualTo("ACTIVE");
      } finally {
        clients.forEach(DynamoDbClient::close);
      }
    }
  }
}
