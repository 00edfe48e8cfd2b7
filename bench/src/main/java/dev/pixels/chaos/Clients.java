package dev.pixels.chaos;

import dev.pixels.chaos.History.Pixel;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Painting and watching WebSocket clients spread over every instance. Each records its acks,
 * rejects and the bulk updates it receives in the {@link History}, and reconnects with
 * {@code sinceSeq} after a close. All state lives on one Vert.x event loop.
 */
final class Clients {
  private final Vertx vertx = Vertx.vertx();
  private final WebSocketClient client;
  private final Cluster cluster;
  private final History history;
  private final List<String> palette;
  private final Random random;
  private final List<Conn> conns = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger connectionIds = new AtomicInteger();
  private final long t0;
  private volatile boolean painting;
  private volatile boolean stopped;
  private long timer = -1;
  final AtomicInteger gaps = new AtomicInteger();

  /** One logical client: its socket of the moment, the last seq it saw, its pixels awaiting an answer. */
  private final class Conn {
    final int instance;
    final int client;
    int connection;
    WebSocket ws;
    boolean ready;
    long lastSeq = -1;
    final Map<String, History.Sent> pending = new HashMap<>();

    Conn(int instance, int client) {
      this.instance = instance;
      this.client = client;
    }
  }

  Clients(Cluster cluster, History history, List<String> palette, long seed, long t0) {
    this.cluster = cluster;
    this.history = history;
    this.palette = palette;
    this.random = new Random(seed);
    this.t0 = t0;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
        .setMaxMessageSize(1 << 24).setConnectTimeout(3000));
  }

  long now() {
    return System.currentTimeMillis() - t0;
  }

  /** Opens {@code perInstance} connections to each instance and starts painting at about {@code pixelsPerSecond}. */
  void start(int perInstance, int pixelsPerSecond) {
    vertx.runOnContext(v -> {
      for (int i = 0; i < cluster.instances.size(); i++) {
        for (int k = 0; k < perInstance; k++) {
          Conn c = new Conn(i, conns.size());
          conns.add(c);
          connect(c);
        }
      }
      painting = true;
      long period = 20;
      double perTick = pixelsPerSecond * period / 1000.0;
      double[] carry = {0};
      timer = vertx.setPeriodic(period, t -> {
        if (!painting) {
          return;
        }
        carry[0] += perTick;
        while (carry[0] >= 1) {
          carry[0] -= 1;
          paintOne();
        }
      });
    });
  }

  private void paintOne() {
    Conn c = conns.get(random.nextInt(conns.size()));
    if (!c.ready || c.ws == null || c.ws.isClosed()) {
      return;
    }
    String id = "p" + ids.incrementAndGet();
    Pixel p = new Pixel(random.nextInt(cluster.width), random.nextInt(cluster.height),
        palette.get(1 + random.nextInt(palette.size() - 1)));
    History.Sent s = new History.Sent(id, c.instance, p, now());
    c.pending.put(id, s);
    history.add(s);
    c.ws.writeTextMessage(new JsonObject().put("type", "pixel:update").put("id", id)
        .put("data", new JsonObject().put("x", p.x()).put("y", p.y()).put("color", p.color())).encode());
  }

  private void connect(Conn c) {
    if (stopped) {
      return;
    }
    c.connection = connectionIds.incrementAndGet();
    c.ready = false;
    String uri = c.lastSeq >= 0 ? "/ws?sinceSeq=" + c.lastSeq : "/ws";
    client.connect(new WebSocketConnectOptions().setHost(cluster.instances.get(c.instance).host)
        .setPort(cluster.instances.get(c.instance).port)
        .setURI(uri).setTimeout(3000)).onComplete(ar -> {
          if (ar.failed()) {
            retry(c);
            return;
          }
          WebSocket ws = ar.result();
          c.ws = ws;
          int connection = c.connection;
          ws.textMessageHandler(text -> onMessage(c, connection, text));
          ws.exceptionHandler(t -> { });
          ws.closeHandler(v -> {
            if (stopped) {
              return;
            }
            Short code = ws.closeStatusCode();
            history.add(new History.Close(c.client, connection, c.instance, code == null ? -1 : code, now()));
            c.ready = false;
            // Pixels without an answer stay UNANSWERED: their fate is unknown to the client.
            c.pending.clear();
            retry(c);
          });
        });
  }

  private void retry(Conn c) {
    if (!stopped) {
      vertx.setTimer(200 + random.nextInt(300), t -> connect(c));
    }
  }

  private void onMessage(Conn c, int connection, String text) {
    JsonObject m = new JsonObject(text);
    JsonObject data = m.getJsonObject("data");
    switch (m.getString("type", "")) {
      case "canvas:state" -> {
        long seq = data.getLong("seq");
        if (Boolean.TRUE.equals(data.getBoolean("resync")) || c.lastSeq < 0) {
          if (c.lastSeq >= 0) {
            history.add(new History.Resync(c.client, connection, c.instance, seq, now()));
          }
          c.lastSeq = seq;
        }
        c.ready = true;
      }
      case "pixel:bulk_update" -> {
        long from = data.getLong("fromSeq");
        long to = data.getLong("toSeq");
        if (c.lastSeq >= 0 && from != c.lastSeq + 1) {
          gaps.incrementAndGet();
        }
        JsonArray arr = data.getJsonArray("pixels");
        List<Pixel> pixels = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
          JsonObject p = arr.getJsonObject(i);
          pixels.add(new Pixel(p.getInteger("x"), p.getInteger("y"), p.getString("color").toUpperCase()));
        }
        history.add(new History.Bulk(c.client, connection, c.instance, from, to, pixels, now()));
        c.lastSeq = to;
      }
      case "pixel:ack" -> {
        History.Sent s = c.pending.remove(data.getString("id"));
        if (s != null) {
          s.seq = data.getLong("seq");
          s.answeredMillis = now();
          s.outcome = History.Outcome.ACKED;
        }
      }
      case "pixel:reject" -> {
        History.Sent s = c.pending.remove(data.getString("id"));
        if (s != null) {
          s.answeredMillis = now();
          s.outcome = History.Outcome.REJECTED;
          s.rejectReason = data.getString("reason", "") + ": " + data.getString("message", "");
        }
      }
      default -> { }
    }
  }

  void stopPainting() {
    painting = false;
  }

  void close() {
    stopped = true;
    painting = false;
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(15, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      System.err.println("closing the clients' Vert.x: " + e);
    }
  }
}
