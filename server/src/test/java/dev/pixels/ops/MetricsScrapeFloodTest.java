package dev.pixels.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} may be open to anyone; a flood of scrapes must not cost a scrape each. Requests
 * within a second share one scrape, and a later request gets a fresh one.
 */
class MetricsScrapeFloodTest {

  private static String metrics(TestServer server) {
    var response = server.get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void aFloodOfScrapesIsAnsweredFromOneScrapeASecond() {
    try (TestServer server = TestServer.start()) {
      List<CompletableFuture<String>> flood = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        flood.add(CompletableFuture.supplyAsync(() -> metrics(server)));
      }
      Set<String> distinct = new HashSet<>();
      long started = System.nanoTime();
      flood.forEach(f -> distinct.add(f.join()));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the flood took under the sharing window")
          .isLessThan(Duration.ofSeconds(1));
      // Each scrape counts the requests answered before it, so separate scrapes differ.
      assertThat(distinct).as("distinct bodies among 20 concurrent scrapes").hasSize(1);

      String first = distinct.iterator().next();
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      String later = metrics(server);
      while (later.equals(first) && System.nanoTime() < deadline) {
        later = metrics(server);
      }
      assertThat(later).as("a scrape after the window").isNotEqualTo(first);
    }
  }
}
