package dev.pixels.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.TestServer;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Request methods a client makes up do not become metric label values. */
class MadeUpMethodsTest {
  private static final Pattern METHOD_LABEL = Pattern.compile("method=\"([^\"]*)\"");

  @Test
  void manyMadeUpMethodsShareOneMetricLabelValue() {
    try (TestServer server = TestServer.start()) {
      for (int i = 0; i < 300; i++) {
        server.send(HttpRequest.newBuilder(server.uri(i % 2 == 0 ? "/health" : "/nowhere"))
            .timeout(Duration.ofSeconds(10)).method("MADEUP" + i, HttpRequest.BodyPublishers.noBody()).build());
      }
      String metrics = new String(server.get("/metrics").body(), StandardCharsets.UTF_8);

      Set<String> methods = new TreeSet<>();
      long series = metrics.lines().filter(l -> l.startsWith("pixels_http_requests_seconds_count")).count();
      Matcher m = METHOD_LABEL.matcher(metrics);
      while (m.find()) {
        methods.add(m.group(1));
      }
      assertThat(methods).noneMatch(method -> method.startsWith("MADEUP")).contains("OTHER");
      assertThat(series).as("request series").isLessThan(20);
    }
  }
}
