package dev.pixels.moderation;

class MemoryModerationStoreTest extends ModerationStoreContract {
  @Override
  protected ModerationStore open() {
    return ModerationStores.memory();
  }

  @Override
  protected ModerationStore second(ModerationStore first) {
    return first; // one process only
  }
}
