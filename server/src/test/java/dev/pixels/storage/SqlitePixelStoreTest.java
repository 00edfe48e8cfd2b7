package dev.pixels.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

class SqlitePixelStoreTest extends PixelStoreContract {
  private Path dir;

  @Override
  protected PixelStore open() {
    try {
      dir = Files.createTempDirectory("pixels-sqlite");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return PixelStores.sqlite(dir);
  }

  @Override
  protected PixelStore reopen(PixelStore old) {
    old.close();
    return PixelStores.sqlite(dir);
  }
}
