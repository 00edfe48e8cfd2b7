package dev.pixels.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The web page may not be framed by other sites unless the operator names them. */
class FramingHeadersTest {

  @Test
  void theWebPageRefusesEveryFrameByDefault() {
    try (TestServer server = TestServer.start()) {
      for (String path : new String[] {"/app/", "/app/app.js"}) {
        HttpResponse<byte[]> page = server.get(path);
        assertThat(page.statusCode()).as(path).isEqualTo(200);
        assertThat(page.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
        assertThat(page.headers().firstValue("Content-Security-Policy")).as(path).hasValue("frame-ancestors 'none'");
      }
      HttpResponse<byte[]> head = server.send(HttpRequest.newBuilder(server.uri("/app/")).timeout(Duration.ofSeconds(10))
          .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
      assertThat(head.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }
  }

  @Test
  void anOperatorMayNameTheSitesAllowedToFrameThePage() {
    try (TestServer server = TestServer.start(Map.of("FRAME_ANCESTORS", "'self' https://example.com"))) {
      HttpResponse<byte[]> page = server.get("/app/");
      assertThat(page.headers().firstValue("Content-Security-Policy"))
          .hasValue("frame-ancestors 'self' https://example.com");
      assertThat(page.headers().firstValue("X-Frame-Options")).isEmpty();
    }
  }
}
