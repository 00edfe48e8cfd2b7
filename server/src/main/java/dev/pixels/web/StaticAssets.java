package dev.pixels.web;

import dev.pixels.canvas.Canvas;
import dev.pixels.http.Http;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web page's files, loaded from the jar into memory at start-up and served under {@code /app/}.
 *
 * <p>Caching: every asset is also served under {@code /app/v/<version>/}, where {@code version} is
 * a hash of all the files, with a one-year immutable cache lifetime. The HTML is served with {@code
 * no-cache} (always revalidated by ETag) and its relative {@code src}/{@code href} references are
 * rewritten to the versioned path, so a new release is picked up on the next page load while the
 * assets themselves are fetched once. Relative imports between modules stay inside the versioned
 * folder.
 */
final class StaticAssets {
  private static final String ROOT = "web/";
  private static final Pattern RELATIVE_REF =
      Pattern.compile("(src|href)=\"(?:\\./)?([A-Za-z0-9_\\-./]+\\.(?:js|mjs|css|svg|png|ico|webmanifest|json))\"");

  private record Asset(byte[] body, String contentType, String etag) {}

  private final Map<String, Asset> assets = new HashMap<>();
  private final String version;

  StaticAssets(ClassLoader loader, Iterable<String> names) {
    StringBuilder all = new StringBuilder();
    Map<String, byte[]> raw = new HashMap<>();
    for (String name : names) {
      byte[] body = read(loader, ROOT + name);
      if (body != null) {
        raw.put(name, body);
        all.append(name).append(':').append(Canvas.sha256Hex(body)).append('\n');
      }
    }
    this.version = Canvas.sha256Hex(all.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    for (Map.Entry<String, byte[]> e : raw.entrySet()) {
      byte[] body = e.getValue();
      if (e.getKey().endsWith(".html")) {
        body = rewrite(new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
      }
      assets.put(e.getKey(), new Asset(body, contentType(e.getKey()), "\"" + Canvas.sha256Hex(body).substring(0, 32) + "\""));
    }
  }

  /** Loads every file under {@code web/} on the classpath, from a jar or a directory. */
  static StaticAssets fromClasspath() {
    ClassLoader loader = StaticAssets.class.getClassLoader();
    java.net.URL root = loader.getResource(ROOT + "index.html");
    java.util.List<String> names = new java.util.ArrayList<>();
    if (root != null) {
      try {
        java.net.URI uri = root.toURI();
        if ("jar".equals(uri.getScheme())) {
          try (java.nio.file.FileSystem fs = java.nio.file.FileSystems.newFileSystem(uri, Map.of())) {
            collect(fs.getPath("/" + ROOT), names);
          }
        } else {
          collect(java.nio.file.Path.of(uri).getParent(), names);
        }
      } catch (IOException | java.net.URISyntaxException e) {
        throw new IllegalStateException("cannot list the web page's files", e);
      }
    }
    return new StaticAssets(loader, names);
  }

  private static void collect(java.nio.file.Path dir, java.util.List<String> names) throws IOException {
    try (var files = java.nio.file.Files.walk(dir)) {
      files.filter(java.nio.file.Files::isRegularFile)
          .forEach(f -> names.add(dir.relativize(f).toString().replace('\\', '/')));
    }
  }

  String version() {
    return version;
  }

  boolean hasIndex() {
    return assets.containsKey("index.html");
  }

  private String rewrite(String html) {
    Matcher m = RELATIVE_REF.matcher(html);
    return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "=\"/app/v/" + version + "/" + r.group(2) + "\""));
  }

  /** Serves {@code /app/*}. */
  void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    String rest = path.length() > "/app/".length() ? path.substring("/app/".length()) : "";
    boolean versioned = false;
    if (rest.startsWith("v/")) {
      int slash = rest.indexOf('/', 2);
      if (slash < 0) {
        notFound(ctx);
        return;
      }
      versioned = rest.substring(2, slash).equals(version);
      rest = rest.substring(slash + 1);
    }
    if (rest.isEmpty()) {
      rest = "index.html";
    }
    Asset asset = assets.get(rest);
    if (asset == null) {
      notFound(ctx);
      return;
    }
    var response = ctx.response();
    response.putHeader("ETag", asset.etag());
    response.putHeader("Cache-Control",
        versioned ? "public, max-age=31536000, immutable" : "no-cache");
    response.putHeader("X-Content-Type-Options", "nosniff");
    if (HttpApi.matchesEtag(ctx.request().getHeader("If-None-Match"), asset.etag())) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader("Content-Type", asset.contentType());
    response.end(Buffer.buffer(asset.body()));
  }

  private static void notFound(RoutingContext ctx) {
    Http.error(ctx, 404, "not_found", "no such file");
  }

  private static byte[] read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " from the jar", e);
    }
  }

  private static String contentType(String name) {
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return switch (ext) {
      case "html" -> "text/html; charset=utf-8";
      case "js", "mjs" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "png" -> "image/png";
      case "ico" -> "image/x-icon";
      case "json", "webmanifest" -> "application/json";
      default -> "application/octet-stream";
    };
  }
}
