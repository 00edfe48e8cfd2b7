package dev.pixels.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * A tiny stand-in for the Pixels server, enough to exercise the generator: canvas:state, ack per
 * pixel, a bulk_update every 50 ms to every socket (fragmented into small frames on purpose), and
 * the canvas endpoints. Not the real protocol implementation; test use only.
 */
final class FakeServer implements AutoCloseable {
  static final List<String> PALETTE = List.of("#FFFFFF", "#000000", "#FF0000", "#00FF00");
  final Vertx vertx = Vertx.vertx();
  final List<ServerWebSocket> sockets = new ArrayList<>();
  final List<JsonObject> pending = new ArrayList<>();
  final int width = 64;
  final int height = 32;
  /** WebSocket handshakes per listening port. */
  final java.util.Map<Integer, Integer> connectionsByPort = new java.util.concurrent.ConcurrentHashMap<>();
  long seq;
  HttpServer server;
  private io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> requests;

  int start() throws Exception {
    byte[] gz;
    try (var bos = new ByteArrayOutputStream(); var gzo = new GZIPOutputStream(bos)) {
      gzo.write(new byte[width * height]);
      gzo.finish();
      gz = bos.toByteArray();
    }
    byte[] gzip = gz;
    requests =
                req -> {
                  switch (req.path()) {
                    case "/palette" -> req.response().end(new JsonObject().put("colors", new JsonArray(PALETTE)).encode());
                    case "/canvas" -> {
                      String etag = "\"e" + seq + "\"";
                      if (etag.equals(req.getHeader("If-None-Match"))) {
                        req.response().setStatusCode(304).putHeader("ETag", etag).end();
                      } else {
                        req.response().putHeader("ETag", etag).putHeader("Content-Encoding", "gzip").end(Buffer.buffer(gzip));
                      }
                    }
                    case "/canvas/image" -> req.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(new byte[300]));
                    default -> req.response().setStatusCode(404).end();
                  }
                };
    vertx.setPeriodic(50, t -> flush());
    server = listen();
    return server.actualPort();
  }

  /**
   * One more port onto the same canvas, like another instance of a cluster: its sockets get the
   * same seqs and the same broadcasts.
   */
  int startAnother() throws Exception {
    return listen().actualPort();
  }

  private HttpServer listen() throws Exception {
    return vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketFrameSize(256).setPerMessageWebSocketCompressionSupported(false))
        .webSocketHandler(this::onSocket)
        .requestHandler(requests)
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get();
  }

  private void onSocket(ServerWebSocket ws) {
    connectionsByPort.merge(ws.localAddress().port(), 1, Integer::sum);
    sockets.add(ws);
    ws.closeHandler(v -> sockets.remove(ws));
    ws.writeTextMessage(
        new JsonObject()
            .put("type", "canvas:state")
            .put("data", new JsonObject().put("width", width).put("height", height).put("seq", seq).put("hash", "00").put("userId", "u" + sockets.size()))
            .encode());
    ws.textMessageHandler(
        text -> {
          JsonObject m = new JsonObject(text);
          String type = m.getString("type");
          if ("heartbeat".equals(type)) {
            ws.writeTextMessage("{\"type\":\"heartbeat\"}");
            return;
          }
          JsonObject d = m.getJsonObject("data");
          int x = d.getInteger("x");
          int y = d.getInteger("y");
          String color = d.getString("color");
          if (!PALETTE.contains(color)) {
            ws.writeTextMessage(new JsonObject().put("type", "pixel:reject").put("data", new JsonObject().put("id", m.getString("id")).put("x", x).put("y", y).put("reason", "invalid_color").put("message", "no")).encode());
            return;
          }
          long s = ++seq;
          pending.add(new JsonObject().put("x", x).put("y", y).put("color", color));
          ws.writeTextMessage(new JsonObject().put("type", "pixel:ack").put("data", new JsonObject().put("id", m.getString("id")).put("x", x).put("y", y).put("color", color).put("seq", s)).encode());
        });
  }

  private void flush() {
    if (pending.isEmpty()) {
      return;
    }
    long to = seq;
    long from = to - pending.size() + 1;
    String frame =
        new JsonObject()
            .put("type", "pixel:bulk_update")
            .put("data", new JsonObject().put("pixels", new JsonArray(new ArrayList<>(pending))).put("hash", "ab").put("fromSeq", from).put("toSeq", to))
            .put("timestamp", "2026-01-01T00:00:00Z")
            .encode();
    pending.clear();
    for (ServerWebSocket ws : Set.copyOf(sockets)) {
      ws.writeTextMessage(frame);
    }
  }

  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
