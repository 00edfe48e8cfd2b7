package dev.pixels.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The API description and the router agree: every route is documented and every documented path exists. */
class OpenApiRoutesTest {

  /** "GET /canvas" for each method of each route the server registers. */
  private static Set<String> registeredOperations(TestServer server) {
    Vertx vertx = Vertx.vertx();
    try {
      Set<String> operations = new TreeSet<>();
      for (Route route : server.server().api().router(vertx).getRoutes()) {
        String template = RouteTemplates.of(route);
        if (template == null) {
          continue; // handlers for every request (request ids, timing), not endpoints
        }
        String path = RouteTemplates.toOpenApi(template);
        Set<HttpMethod> methods = route.methods();
        if (methods == null || methods.isEmpty()) {
          operations.add("ANY " + path);
        } else {
          methods.forEach(m -> operations.add(m.name() + " " + path));
        }
      }
      return operations;
    } finally {
      vertx.close();
    }
  }

  private static Set<String> documentedOperations(JsonObject document) {
    Set<String> operations = new TreeSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        operations.add(method.toUpperCase(Locale.ROOT) + " " + path);
      }
    }
    return operations;
  }

  /** Every optional feature that adds routes is switched on, so that its routes are checked too. */
  @Test
  void everyRegisteredRouteIsDocumentedAndEveryDocumentedOperationIsRegistered() {
    try (TestServer server = TestServer.start(java.util.Map.of("POW_DIFFICULTY", "1000",
        "OIDC_ISSUER", "https://id.example", "OIDC_CLIENT_ID", "pixels", "OIDC_CLIENT_SECRET", "secret",
        "OIDC_REDIRECT_URL", "https://pixels.example/auth/oidc/callback"))) {
      JsonObject document = new JsonObject(new String(server.get("/openapi.json").body(), StandardCharsets.UTF_8));
      assertThat(document.getString("openapi")).startsWith("3.1");

      Set<String> registered = registeredOperations(server);
      Set<String> documented = documentedOperations(document);

      assertThat(registered).as("routes without an explicit method").noneMatch(op -> op.startsWith("ANY "));
      assertThat(documented).as("documented but not registered").isSubsetOf(registered);
      assertThat(registered).as("registered but not documented").isSubsetOf(documented);
    }
  }

  @Test
  void routeTemplatesBecomeOpenApiPaths() {
    assertThat(RouteTemplates.toOpenApi("/canvas")).isEqualTo("/canvas");
    assertThat(RouteTemplates.toOpenApi("/app/*")).isEqualTo("/app/{path}");
    assertThat(RouteTemplates.toOpenApi("/admin/users/:userId/ban")).isEqualTo("/admin/users/{userId}/ban");
  }
}
