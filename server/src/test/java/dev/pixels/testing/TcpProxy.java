package dev.pixels.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy that a test can cut, to make one server's connection to a backing service
 * fail while everyone else's keeps working, or stall, to make that service hang without failing.
 */
public final class TcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean cut;
  private final Object flowing = new Object();
  private boolean stalled; // guarded by flowing

  public TcpProxy(int targetPort) {
    try {
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    this.targetPort = targetPort;
    Thread t = new Thread(this::acceptLoop, "test-proxy-" + listener.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** From now on every connection is dropped, existing ones included. */
  public void cut() {
    cut = true;
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  /** Accepts and forwards new connections again after {@link #cut()}. */
  public void restore() {
    open.removeIf(Socket::isClosed);
    cut = false;
  }

  /**
   * From now on nothing is forwarded in either direction, while every connection stays open and new
   * ones are accepted: the service looks alive but never answers, until {@link #resume()}.
   */
  public void stall() {
    synchronized (flowing) {
      stalled = true;
    }
  }

  /** Forwards again, including everything held back while stalled. */
  public void resume() {
    synchronized (flowing) {
      stalled = false;
      flowing.notifyAll();
    }
  }

  private void awaitFlowing() throws IOException {
    synchronized (flowing) {
      while (stalled) {
        try {
          flowing.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while stalled", e);
        }
      }
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        if (cut) {
          closeQuietly(client);
          continue;
        }
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        return; // listener closed
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          awaitFlowing();
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // One side closed; closing both below ends the pair.
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "test-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    resume();
    cut();
    try {
      listener.close();
    } catch (IOException e) {
      // Already closed.
    }
  }
}
