package dev.pixels;

import dev.pixels.ops.LogSetup;
import dev.pixels.storage.StoreException;
import dev.pixels.timelapse.TimelapseCommand;
import java.time.Duration;

/**
 * Starts Pixels from environment variables (see the README's configuration table), or with the
 * first argument {@code timelapse} runs the offline timelapse command instead.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("timelapse")) {
      System.exit(TimelapseCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err,
          System.console() != null));
      return;
    }
    Config config;
    try {
      config = Config.fromEnvironment(System.getenv());
    } catch (Config.ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    LogSetup.apply(config.logFormat());
    PixelsServer server;
    try {
      server = PixelsServer.start(config);
    } catch (ListenAddress.CannotListenException | StoreException e) {
      // The operator's to fix, and the message says how: one line, no stack trace.
      System.err.println("Pixels cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      watchdog(config.shutdownTimeout().plusSeconds(2));
      server.close();
      // A stop asked for with SIGTERM or Ctrl-C is the service's normal end: once it has completed
      // cleanly the process reports success rather than the JVM's 128+signal, so supervisors and
      // `make local-dev` do not count it as a failure.
      Runtime.getRuntime().halt(0);
    }, "pixels-shutdown"));
  }

  /**
   * Halts the process if a graceful stop overruns its deadline: every acknowledged pixel is
   * already durable, so a hard exit loses nothing, while a hung stop would block a deploy.
   */
  private static void watchdog(Duration limit) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(limit.toMillis());
        System.err.println("shutdown took longer than " + limit.toMillis() + " ms; halting");
        Runtime.getRuntime().halt(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "pixels-shutdown-watchdog");
    t.setDaemon(true);
    t.start();
  }
}
