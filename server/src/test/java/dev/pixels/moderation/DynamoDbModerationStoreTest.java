package dev.pixels.moderation;

import dev.pixels.storage.DynamoDbSettings;
import dev.pixels.testing.Dynalite;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The moderation store contract against dynalite; a second store stands for another instance. */
class DynamoDbModerationStoreTest extends ModerationStoreContract {
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
  protected ModerationStore open() {
    settings = dynalite.freshSettings();
    return ModerationStores.dynamodb(settings);
  }

  @Override
  protected ModerationStore second(ModerationStore first) {
    return ModerationStores.dynamodb(settings);
  }
}
