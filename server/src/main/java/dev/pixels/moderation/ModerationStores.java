package dev.pixels.moderation;

import dev.pixels.storage.PixelStores;
import java.nio.file.Path;

/** Creates moderation stores next to the pixel store of the same kind. */
public final class ModerationStores {
  private ModerationStores() {}

  /** Tables in the embedded store's database under {@code dataDir}. */
  public static ModerationStore sqlite(Path dataDir) {
    return new SqliteModerationStore(PixelStores.sqliteFile(dataDir));
  }

  /** The table {@code <prefix>moderation}, shared by every instance; see docs/storage.md. */
  public static ModerationStore dynamodb(dev.pixels.storage.DynamoDbSettings settings) {
    String table = settings.tablePrefix() + "moderation";
    return new DynamoDbModerationStore(PixelStores.dynamodbTable(settings, "moderation"), table);
  }

  public static ModerationStore memory() {
    return new MemoryModerationStore();
  }
}
