package dev.pixels.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The methods a router answers on a path, for the {@code Allow} header of a 405. */
final class AllowedMethods {
  private AllowedMethods() {}

  /** E.g. {@code GET, HEAD, POST}: every method of every route whose path template matches {@code path}. */
  static String of(List<Route> routes, String path) {
    Set<String> methods = new TreeSet<>();
    for (Route route : routes) {
      Set<HttpMethod> routeMethods = route.methods();
      if (route.getPath() == null || routeMethods == null || !matches(route, path)) {
        continue;
      }
      routeMethods.forEach(m -> methods.add(m.name()));
    }
    return String.join(", ", methods);
  }

  /** Literal segments must be equal, {@code :name} takes any one segment, a trailing {@code *} any rest. */
  static boolean matches(Route route, String path) {
    String template = route.getPath();
    if (!route.isExactPath() && !template.contains(":")) {
      return path.startsWith(template) || path.equals(template.substring(0, template.length() - 1));
    }
    String[] want = trimSlash(template).split("/", -1);
    String[] have = trimSlash(path).split("/", -1);
    if (want.length != have.length) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      boolean param = want[i].startsWith(":");
      if (param ? have[i].isEmpty() : !want[i].equals(have[i])) {
        return false;
      }
    }
    return true;
  }

  private static String trimSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
