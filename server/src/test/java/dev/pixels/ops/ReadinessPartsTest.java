package dev.pixels.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /ready} on a real server lists the parts that instance has, and no others. */
class ReadinessPartsTest {

  @Test
  void aSingleInstanceWithoutRedisReportsNoRedisPart() throws Exception {
    try (TestServer server = TestServer.start(Map.of("STORAGE", "embedded"))) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(server.uri("/ready")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject checks = new JsonObject(response.body()).getJsonObject("checks");
      assertThat(checks.fieldNames()).containsExactlyInAnyOrder("shutdown", "store", "canvas");
    }
  }
}
