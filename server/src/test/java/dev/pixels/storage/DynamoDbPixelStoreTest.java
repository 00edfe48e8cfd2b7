package dev.pixels.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Dynalite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store contract against dynalite, plus the DynamoDB-specific limits. */
class DynamoDbPixelStoreTest extends PixelStoreContract {
  private static Dynalite dynalite;
  private DynamoDbSettings settings;

  @BeforeAll
  static void startDynalite() {
    dynalite = Dynalite.start();
  }

  @AfterAll
  static void stopDynalite() {
    dynalite.close();
  }

  @Override
  protected PixelStore open() {
    settings = dynalite.freshSettings();
    return PixelStores.dynamodb(settings);
  }

  @Override
  protected PixelStore reopen(PixelStore old) {
    old.close();
    return PixelStores.dynamodb(settings);
  }

  @Test
  void noCanvasItemGetsNearTheItemLimitEvenForAnIncompressibleMaximalCanvas() {
    byte[] worst = new byte[DynamoDbPixelStore.CHUNK_SIDE * DynamoDbPixelStore.CHUNK_SIDE];
    new java.util.Random(4).nextBytes(worst);
    assertThat(SqlitePixelStore.deflate(worst).length).isLessThan(100 * 1024);
    assertThat(DynamoDbPixelStore.chunkCount(4096, 4096)).isEqualTo(256);
  }

  @Test
  void logKeysSpreadWritesOverManyPartitions() {
    assertThat(DynamoDbPixelStore.bucketKey(99)).isEqualTo(DynamoDbPixelStore.bucketKey(0));
    assertThat(DynamoDbPixelStore.bucketKey(100)).isNotEqualTo(DynamoDbPixelStore.bucketKey(99));
    assertThat(DynamoDbPixelStore.regionKey(40, 70, 3_600_000L * 5 + 1)).isEqualTo("r#1,2#5");
  }

  @Test
  void retryBackoffGrowsButStaysCappedAndJittered() {
    for (int attempt = 0; attempt < 30; attempt++) {
      long wait = DynamoDbPixelStore.backoffMillis(attempt);
      assertThat(wait).isBetween(1L, 1000L);
    }
    assertThat(DynamoDbPixelStore.backoffMillis(0)).isLessThanOrEqualTo(25);
  }

  @Test
  void twoWritersOfTheSameCanvasNeverMoveATileBackwards() {
    PixelStore other = PixelStores.dynamodb(settings);
    try {
      byte[] older = randomBitmap(256, 256, 7);
      byte[] newer = randomBitmap(256, 256, 8);
      store.saveCheckpoint(new Checkpoint(1, 256, 256, older));
      other.latestCheckpoint();
      other.saveCheckpoint(new Checkpoint(9, 256, 256, newer));
      store.saveCheckpoint(new Checkpoint(5, 256, 256, older)); // stale writer: versions no longer match
      Checkpoint latest = other.latestCheckpoint().orElseThrow();
      assertThat(latest.seq()).isEqualTo(9);
      assertThat(dev.pixels.canvas.Canvas.sha256Hex(latest.pixels())).isEqualTo(dev.pixels.canvas.Canvas.sha256Hex(newer));
    } finally {
      other.close();
    }
  }
}
