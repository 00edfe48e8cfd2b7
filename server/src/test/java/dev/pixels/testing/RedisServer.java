package dev.pixels.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A real {@code redis-server} on a free port that keeps nothing on disk, started by a test. {@link
 * #command} sends one command over a plain socket, so tests can flush or inspect Redis without
 * depending on the client library the server uses.
 */
public final class RedisServer implements AutoCloseable {
  private ExternalProcess process;
  private int port;

  private RedisServer(ExternalProcess process) {
    this.process = process;
    this.port = process.port();
  }

  public static RedisServer start() {
    return new RedisServer(launch(ExternalProcess.freePort()));
  }

  private static ExternalProcess launch(int port) {
    return ExternalProcess.start("redis-server", "install it (Debian package redis-server)",
        List.of("redis-server", "--port", "{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"),
        java.nio.file.Path.of(System.getProperty("java.io.tmpdir")), port);
  }

  public int port() {
    return port;
  }

  /** Stops the server, losing everything in it, as a crash would. */
  public void kill() {
    process.close();
  }

  /** Starts an empty server on the same port again. */
  public void restart() {
    process = launchOn(port);
  }

  private static ExternalProcess launchOn(int port) {
    for (int attempt = 0; ; attempt++) {
      try {
        return launch(port);
      } catch (IllegalStateException e) {
        if (attempt > 20) {
          throw e;
        }
        ExternalProcess.sleep(100);
      }
    }
  }

  /** Sends one command and returns the raw reply line(s), e.g. {@code +OK}. */
  public String command(String... args) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
      }
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c; (c = in.read()) != -1 && c != '\n'; ) {
        line.append((char) c);
      }
      if (line.charAt(0) == '$' && !line.toString().startsWith("$-1")) {
        int len = Integer.parseInt(line.substring(1).trim());
        byte[] body = in.readNBytes(len);
        return new String(body, StandardCharsets.UTF_8);
      }
      return line.toString().trim();
    } catch (IOException e) {
      throw new IllegalStateException("redis command " + args[0] + " failed", e);
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
