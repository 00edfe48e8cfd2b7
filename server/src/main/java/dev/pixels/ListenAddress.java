package dev.pixels;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Locale;

/**
 * The host and port the server listens on: checked before anything is opened, and shown to a
 * person as a page address they can open.
 */
final class ListenAddress {
  private ListenAddress() {}

  /**
   * Fails with a one-line {@link CannotListenException} when {@code host:port} cannot be bound,
   * typically because another Pixels already listens there. Checked before the store is opened so
   * a second instance never touches the first one's data. Port 0 (any free port) always binds.
   */
  static void requireFree(String host, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      // Lets the port be reused while connections of a previous run linger in TIME_WAIT, as the
      // real listener does; a port that another socket listens on still fails to bind.
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw failure(host, port, e);
    }
  }

  /** The one-line explanation of a failed bind of {@code host:port}. */
  static CannotListenException failure(String host, int port, Throwable cause) {
    String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    if (cause instanceof BindException && reason.toLowerCase(Locale.ROOT).contains("in use")) {
      return new CannotListenException("port " + port + " on " + host + " is already in use (another Pixels "
          + "running?); stop it or pick another port, e.g. PORT=" + (port == 65_535 ? 8001 : port + 1)
          + " make local-dev (PORT=0 takes any free port)", cause);
    }
    return new CannotListenException("cannot listen on " + host + ":" + port + ": " + reason
        + "; set HOST and PORT to an address this machine can bind, e.g. PORT=8001", cause);
  }

  /**
   * The address of the page for a person on this machine: {@code localhost} when bound to every
   * interface, since {@code http://0.0.0.0:8000} is not an address a browser should be sent to.
   */
  static String pageUrl(String host, int port) {
    String shown = switch (host) {
      case "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0" -> "localhost";
      default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    };
    return "http://" + shown + ":" + port + "/";
  }

  /** Why the server could not listen, in one line for the operator; start-up stops before opening the store. */
  static final class CannotListenException extends IllegalStateException {
    CannotListenException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
