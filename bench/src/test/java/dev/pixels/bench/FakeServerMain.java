package dev.pixels.bench;

/** Runs the fake server on a port until killed: {@code java -cp ... dev.pixels.bench.FakeServerMain PORTFILE}. */
public final class FakeServerMain {
  private FakeServerMain() {}

  public static void main(String[] args) throws Exception {
    FakeServer f = new FakeServer();
    int port = f.start();
    java.nio.file.Files.writeString(java.nio.file.Path.of(args[0]), Integer.toString(port));
    Thread.sleep(Long.MAX_VALUE);
  }
}
