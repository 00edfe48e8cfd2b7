package dev.pixels.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadinessEndpointTest {
  private final Vertx vertx = Vertx.vertx();
  private final AtomicReference<String> storeProblem = new AtomicReference<>();
  private final AtomicReference<String> redisProblem = new AtomicReference<>();

  @AfterEach
  void stop() {
    vertx.close();
  }

  private HttpResponse<String> getReady() throws Exception {
    Router router = Router.router(vertx);
    new ReadinessEndpoint(List.of(ReadinessCheck.of("store", storeProblem::get),
        ReadinessCheck.of("redis", redisProblem::get))).register(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    try {
      return HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/ready")).build(),
          HttpResponse.BodyHandlers.ofString());
    } finally {
      server.close();
    }
  }

  @Test
  void readyAnswers200WhenEveryPartIsReady() throws Exception {
    HttpResponse<String> response = getReady();
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("status")).isEqualTo("ready");
    assertThat(body.getJsonObject("checks").getMap()).containsEntry("store", "ok").containsEntry("redis", "ok");
  }

  @Test
  void readyAnswers503NamingEachFailingPart() throws Exception {
    redisProblem.set("no answer for 2 s");
    HttpResponse<String> response = getReady();
    assertThat(response.statusCode()).isEqualTo(503);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("error")).isEqualTo("not_ready");
    assertThat(body.getString("message")).isEqualTo("redis: no answer for 2 s");
    assertThat(body.getJsonObject("checks").getString("store")).isEqualTo("ok");
  }
}
