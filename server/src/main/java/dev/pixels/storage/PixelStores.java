package dev.pixels.storage;

import java.nio.file.Path;

/** Creates the pixel stores; the implementations stay package-private behind {@link PixelStore}. */
public final class PixelStores {
  private PixelStores() {}

  /** A durable SQLite store in {@code dataDir}, created if missing. */
  public static PixelStore sqlite(Path dataDir) {
    return new SqlitePixelStore(dataDir);
  }

  /**
   * The SQLite database of {@code dataDir} opened read-only, for offline tools: it takes no lock,
   * so it may read a directory a running server holds, and its writing methods throw.
   */
  public static PixelStore sqliteReadOnly(Path dataDir) {
    return new ReadOnlySqliteStore(dataDir);
  }

  /** The DynamoDB store; for a local server the tables are created when missing. */
  public static PixelStore dynamodb(DynamoDbSettings settings) {
    return DynamoDbTables.open(settings);
  }

  /**
   * A client for a feature's own DynamoDB table {@code <prefix><name>} with the string keys
   * {@code pk} (hash) and {@code sk} (range); on a local server the table is created when missing,
   * on AWS it must exist. The caller closes the client.
   */
  public static software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamodbTable(DynamoDbSettings settings,
      String name) {
    return DynamoDbTables.openKeyValueTable(settings, settings.tablePrefix() + name);
  }

  /** The SQLite database file of the embedded store; features keep their own tables in it. */
  public static Path sqliteFile(Path dataDir) {
    return dataDir.resolve("pixels.db");
  }

  /** A store that forgets everything when the process ends. */
  public static PixelStore memory() {
    return new MemoryPixelStore();
  }
}
