package dev.pixels;

/** Starts Pixels from environment variables; see the README's configuration table. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Config config;
    try {
      config = Config.fromEnvironment(System.getenv());
    } catch (Config.ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    PixelsServer server = PixelsServer.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pixels-shutdown"));
  }
}
