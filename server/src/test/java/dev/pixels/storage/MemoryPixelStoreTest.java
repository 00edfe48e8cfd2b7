package dev.pixels.storage;

class MemoryPixelStoreTest extends PixelStoreContract {
  @Override
  protected PixelStore newStore() {
    return PixelStores.memory();
  }
}
