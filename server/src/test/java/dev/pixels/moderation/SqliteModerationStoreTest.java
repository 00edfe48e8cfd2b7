package dev.pixels.moderation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

class SqliteModerationStoreTest extends ModerationStoreContract {
  private Path dir;

  @Override
  protected ModerationStore open() {
    try {
      dir = Files.createTempDirectory("pixels-moderation");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return ModerationStores.sqlite(dir);
  }

  @Override
  protected ModerationStore second(ModerationStore first) {
    return ModerationStores.sqlite(dir);
  }
}
