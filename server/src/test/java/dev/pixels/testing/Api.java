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
}
