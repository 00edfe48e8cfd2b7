package dev.pixels.ops;

import io.vertx.ext.web.Route;

/** The path template a route was registered with, for metric labels and the API description. */
final class RouteTemplates {
  private RouteTemplates() {}

  /** E.g. {@code /canvas}, {@code /app/*}, {@code /admin/users/:id}; null for a route without a path. */
  static String of(Route route) {
    if (route == null || route.getPath() == null) {
      return null;
    }
    if (route.isRegexPath()) {
      return route.getPath();
    }
    String path = route.getPath();
    return route.isExactPath() ? path : path + "*";
  }

  /** The OpenAPI form: {@code :id} becomes {@code {id}}, a trailing {@code *} becomes {@code {path}}. */
  static String toOpenApi(String template) {
    String path = template.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
    if (path.endsWith("/*")) {
      path = path.substring(0, path.length() - 1) + "{path}";
    } else if (path.endsWith("*")) {
      path = path.substring(0, path.length() - 1) + "{path}";
    }
    return path;
  }
}
