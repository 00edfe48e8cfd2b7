package dev.pixels.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client for tests: records every text frame as JSON, in arrival order, and lets a
 * test wait for the next frame that matches.
 *
 * <p>Each client has its own Vert.x instance, so a client that stops reading cannot stall another.
 */
public final class WsClient implements AutoCloseable {
  private final Vertx vertx;
  private final WebSocket socket;
  private final LinkedBlockingQueue<JsonObject> inbox;
  private WebSocketClient client;
  private final List<JsonObject> seen = new ArrayList<>();
  private final List<JsonObject> unread = new ArrayList<>();
  private volatile Short closeCode;
  private volatile String closeReason;
  private int nextId;

  private WsClient(Vertx vertx, WebSocket socket, LinkedBlockingQueue<JsonObject> inbox) {
    this.vertx = vertx;
    this.socket = socket;
    this.inbox = inbox;
  }

  public static WsClient connect(int port, String pathAndQuery) {
    return connect(port, pathAndQuery, new WebSocketConnectOptions());
  }

  public static WsClient connect(int port, String pathAndQuery, WebSocketConnectOptions options) {
    Vertx vertx = Vertx.vertx();
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(16 << 20)
        .setMaxMessageSize(64 << 20));
    options.setHost("127.0.0.1").setPort(port).setURI(pathAndQuery);
    try {
      // Handlers go on before connecting: the server speaks first, and a frame that arrived
      // before a handler was set would be lost.
      LinkedBlockingQueue<JsonObject> inbox = new LinkedBlockingQueue<>();
      io.vertx.core.http.ClientWebSocket ws = client.webSocket();
      ws.textMessageHandler(text -> inbox.add(new JsonObject(text)));
      WsClient[] self = new WsClient[1];
      ws.closeHandler(v -> {
        if (self[0] != null) {
          self[0].closeCode = ws.closeStatusCode();
          self[0].closeReason = ws.closeReason();
        }
      });
      ws.connect(options).await(10, TimeUnit.SECONDS);
      WsClient c = new WsClient(vertx, ws, inbox);
      // Held by the WsClient: Vert.x closes a client nobody references, and its connections with it.
      c.client = client;
      self[0] = c;
      return c;
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("could not connect to " + pathAndQuery + ": " + e, e);
    }
  }

  public WebSocket socket() {
    return socket;
  }

  public void sendText(String text) {
    socket.writeTextMessage(text);
  }

  public void send(JsonObject message) {
    sendText(message.encode());
  }

  /** Sends a {@code pixel:update} and returns the id it was given. */
  public String paint(int x, int y, String color) {
    String id = "p" + (++nextId);
    send(new JsonObject().put("type", "pixel:update").put("id", id)
        .put("data", new JsonObject().put("x", x).put("y", y).put("color", color)));
    return id;
  }

  /** The first unread frame of {@code type}; frames of other types stay unread. */
  public JsonObject next(String type) {
    return next(m -> type.equals(m.getString("type")), Duration.ofSeconds(10), type);
  }

  /** Takes the first unread frame that matches, waiting up to {@code timeout} for it. */
  public JsonObject next(Predicate<JsonObject> match, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        for (int i = 0; i < unread.size(); i++) {
          if (match.test(unread.get(i))) {
            return unread.remove(i);
          }
        }
        long left = deadline - System.nanoTime();
        JsonObject m = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
        if (m == null) {
          throw new AssertionError("no " + what + " within " + timeout + "; last frames received: "
              + seen.subList(Math.max(0, seen.size() - 3), seen.size()));
        }
        seen.add(m);
        unread.add(m);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Whether a frame matching {@code match} arrives within {@code timeout}, without failing. */
  public boolean receives(Predicate<JsonObject> match, Duration timeout) {
    try {
      next(match, timeout, "frame");
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  /** The answer (ack or reject) to the pixel with client id {@code id}. */
  public JsonObject answerTo(String id) {
    return next(m -> (m.getString("type", "").equals("pixel:ack") || m.getString("type", "").equals("pixel:reject"))
        && id.equals(m.getJsonObject("data").getString("id")), Duration.ofSeconds(10), "answer to " + id);
  }

  /** Every frame received so far that no {@link #next} took, after waiting {@code quiet} for more. */
  public List<JsonObject> unread(Duration quiet) {
    try {
      Thread.sleep(quiet.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<JsonObject> more = new ArrayList<>();
    inbox.drainTo(more);
    seen.addAll(more);
    unread.addAll(more);
    return List.copyOf(unread);
  }

  /** Every frame received so far, in order, read or not. */
  public List<JsonObject> seen() {
    return seen;
  }

  public boolean isClosed() {
    return socket.isClosed();
  }

  public Short closeCode() {
    return closeCode;
  }

  public String closeReason() {
    return closeReason;
  }

  /** Stops reading from the socket, so the server's writes back up (for slow-client tests). */
  public void pauseReading() {
    socket.pause();
  }

  @Override
  public void close() {
    try {
      if (!socket.isClosed()) {
        socket.close().await(5, TimeUnit.SECONDS);
      }
    } catch (Exception ignored) {
      // Closing a socket the server already dropped is not a test failure.
    } finally {
      vertx.close();
    }
  }
}
