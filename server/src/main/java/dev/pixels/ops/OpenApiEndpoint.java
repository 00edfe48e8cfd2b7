package dev.pixels.ops;

import dev.pixels.http.Http;
import dev.pixels.http.RouteContributor;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 description of every REST endpoint, kept as a resource
 * ({@code openapi.json}) and checked against the router by {@code OpenApiRoutesTest}.
 */
public final class OpenApiEndpoint implements RouteContributor {
  static final String RESOURCE = "/openapi.json";

  private final String document;

  public OpenApiEndpoint() {
    this.document = load();
  }

  static String load() {
    try (InputStream in = OpenApiEndpoint.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + RESOURCE + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void register(Router router) {
    Http.getOrHead(router, "/openapi.json").handler(ctx -> Http.json(ctx, 200, document));
  }
}
