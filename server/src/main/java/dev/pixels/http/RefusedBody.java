package dev.pixels.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.VertxConnection;

/**
 * The lingering close of an HTTP/1.x connection whose request body was refused: once the answer is
 * written, the server stops sending (a half-close, so the client sees the end of the answer at
 * once), then reads and throws away what the client still sends until its body ends, up to a
 * bounded number of bytes and a bounded time, and only then closes.
 *
 * <p>Closing at once would close a socket with body bytes unread or still on the way; the kernel
 * then resets the connection, and the reset can reach the client before it has read the answer,
 * which is lost. Reading on keeps the close clean for every client that sends a body of a sensible
 * size; the bounds keep a client from holding the connection or the server's time beyond them.
 *
 * <p>Concurrency: everything runs on the connection's event loop: the request's handlers, the
 * timer, which the request's context owns, and the channel listener netty calls on that loop.
 */
final class RefusedBody {
  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpConnection connection;
  private final long maxBytes;
  private long read;
  private long timer = -1;
  private boolean closed;

  private RefusedBody(Vertx vertx, HttpServerRequest request, long maxBytes) {
    this.vertx = vertx;
    this.request = request;
    this.connection = request.connection();
    this.maxBytes = maxBytes;
  }

  /**
   * Closes the connection of {@code request}, whose answer has just been ended, once its body has
   * ended, {@code maxBytes} more of it have been read, or {@code maxMillis} have passed.
   */
  static void drainThenClose(Vertx vertx, HttpServerRequest request, long maxBytes, long maxMillis) {
    RefusedBody body = new RefusedBody(vertx, request, maxBytes);
    if (request.isEnded()) {
      body.close();
      return;
    }
    body.stopWriting();
    body.timer = vertx.setTimer(maxMillis, t -> body.close());
    request.exceptionHandler(e -> body.close());
    request.handler(chunk -> {
      body.read += chunk.length();
      if (body.read > body.maxBytes) {
        body.close();
      }
    });
    request.endHandler(v -> body.close());
    request.resume();
  }

  /**
   * Half-closes the connection after what is already queued on it has been written. Vert.x offers
   * no half-close, so this reaches its channel; without one (another transport, TLS, whose close
   * must go through the TLS layer) the client sees the end of the answer by its length alone.
   */
  private void stopWriting() {
    if (connection instanceof VertxConnection vc && !vc.isSsl() && vc.channel() instanceof DuplexChannel duplex) {
      ChannelPromise written = vc.newChannelPromise();
      written.addListener(f -> {
        if (f.isSuccess() && !closed) {
          duplex.shutdownOutput();
        }
      });
      vc.writeToChannel(Unpooled.EMPTY_BUFFER, written);
    }
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    if (!request.isEnded()) {
      request.pause();
    }
    connection.close();
  }
}
