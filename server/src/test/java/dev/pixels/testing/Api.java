package dev.pixels.testing;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Small HTTP helpers for the REST API, with or without a bearer token. */
public final class Api {
  private final TestServer server;

  public Api(TestServer server) {
    this.server = server;
  }

  public HttpResponse<byte[]> get(String path, String token) {
    return send("GET", path, null, token);
  }

  public HttpResponse<byte[]> post(String path, JsonObject body, String token) {
    return send("POST", path, body == null ? null : body.encode(), token);
  }

  public HttpResponse<byte[]> postRaw(String path, String body, String token) {
    return send("POST", path, body, token);
  }

  public HttpResponse<byte[]> delete(String path, String token) {
    return send("DELETE", path, null, token);
  }

  /** The response body as JSON. */
  public static JsonObject json(HttpResponse<byte[]> response) {
    return new JsonObject(new String(response.body(), StandardCharsets.UTF_8));
  }

  private HttpResponse<byte[]> send(String method, String path, String body, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(15))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return server.send(b.build());
  }

  /** The status line the server answers a raw WebSocket upgrade of {@code path} with. */
  public static String upgradeStatus(TestServer server, String path) throws java.io.IOException {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\n"
          + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII)).readLine();
    }
  }
}
