package dev.pixels.storage;

class MemoryPixelStoreTest extends PixelStoreContract {
  @Override
  protected PixelStore open() {
    return PixelStores.memory();
  }

  @Override
  protected PixelStore reopen(PixelStore old) {
    return old; // nothing outlives the process; "reopening" keeps the same heap
  }
}
