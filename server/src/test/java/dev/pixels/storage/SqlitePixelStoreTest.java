package dev.pixels.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

class SqlitePixelStoreTest extends PixelStoreContract {
  @Override
  protected PixelStore newStore() {
    try {
      return PixelStores.sqlite(Files.createTempDirectory("pixels-sqlite"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
