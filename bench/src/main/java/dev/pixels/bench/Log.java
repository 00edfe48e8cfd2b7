package dev.pixels.bench;

/** Progress lines on stderr (stdout holds only the table). */
final class Log {
  private final boolean quiet;
  private final long start = System.nanoTime();

  Log(boolean quiet) {
    this.quiet = quiet;
  }

  void info(String msg) {
    if (!quiet) {
      System.err.printf("[bench %6.1fs] %s%n", (System.nanoTime() - start) / 1e9, msg);
    }
  }
}
