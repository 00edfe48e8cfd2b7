package dev.pixels.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pixels.testing.Api;
import dev.pixels.testing.TestClock;
import dev.pixels.testing.TestServer;
import dev.pixels.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole sign-in against a real OIDC server started here, driven the way a browser follows its
 * redirects. The redirect URL names a host that does not exist; the test carries the provider's
 * redirect over to the test server, as a browser would to the real one.
 */
class SignInFlowTest {
  private static final String REDIRECT = "http://pixels.invalid/auth/mock/callback";
  /** What Chromium sends when it follows a redirect to a page. */
  private static final String BROWSER_ACCEPT =
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
  private static MockOAuth2Server provider;
  private final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void startProvider() {
    provider = new MockOAuth2Server();
    provider.start();
  }

  @AfterAll
  static void stopProvider() {
    provider.shutdown();
  }

  private static Map<String, String> env(String... more) {
    Map<String, String> env = new java.util.HashMap<>(Map.of("OIDC_ID", "mock", "OIDC_NAME", "Mock ID",
        "OIDC_ISSUER", provider.issuerUrl("default").toString(), "OIDC_CLIENT_ID", "pixels",
        "OIDC_CLIENT_SECRET", "pixels-secret", "OIDC_REDIRECT_URL", REDIRECT));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  /** A started sign-in: where the provider sent the browser back to, and the state cookie it holds. */
  private record Returned(URI callback, String cookie) {}

  private Returned signInAtProvider(TestServer server) throws Exception {
    HttpResponse<String> login = browser.send(HttpRequest.newBuilder(server.uri("/auth/mock/login")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    URI authorize = URI.create(login.headers().firstValue("Location").orElseThrow());
    assertThat(authorize.getQuery()).contains("code_challenge_method=S256", "nonce=", "state=");
    HttpResponse<String> atProvider = browser.send(HttpRequest.newBuilder(authorize).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(atProvider.statusCode()).as(atProvider.body()).isEqualTo(302);
    URI back = URI.create(atProvider.headers().firstValue("Location").orElseThrow());
    assertThat(back.getPath()).isEqualTo("/auth/mock/callback");
    return new Returned(server.uri(back.getPath() + "?" + back.getRawQuery()), cookie);
  }

  /** The provider's redirect back, followed by an API client that asks for JSON. */
  private HttpResponse<String> callback(URI uri, String cookie) throws Exception {
    return callback(uri, cookie, "application/json");
  }

  private HttpResponse<String> callback(URI uri, String cookie, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", accept);
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return browser.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject sessionOf(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
    String location = answer.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("/app/#session=");
    return new JsonObject(new String(Base64.getUrlDecoder().decode(location.substring("/app/#session=".length())),
        StandardCharsets.UTF_8));
  }

  private static String error(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    JsonObject body = new JsonObject(answer.body());
    assertThat(body.getString("message")).isNotBlank();
    return body.getString("error");
  }

  @Test
  void aSignedInUserPaintsAsProviderColonSubjectWhileAnonymousSessionsOnlyWatch() throws Exception {
    provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "alice-123", "JWT", null,
        Map.of("name", "Alice Example")));
    try (TestServer server = TestServer.start(env("REQUIRE_LOGIN_TO_PAINT", "true"))) {
      JsonObject providers = Api.json(new Api(server).get("/auth/providers", null));
      assertThat(providers.getJsonArray("providers").getJsonObject(0).getString("name")).isEqualTo("Mock ID");

      Returned returned = signInAtProvider(server);
      JsonObject session = sessionOf(callback(returned.callback(), returned.cookie()));
      assertThat(session.getString("userId")).isEqualTo("mock:alice-123");
      assertThat(session.getString("name")).isEqualTo("Alice Example");

      try (WsClient signedIn = server.connect("?token=" + session.getString("token"))) {
        signedIn.next("canvas:state");
        assertThat(signedIn.answerTo(signedIn.paint(1, 1, "#000000")).getString("type")).isEqualTo("pixel:ack");
      }
      String anonymous = Api.json(new Api(server).post("/session", null, null)).getString("token");
      try (WsClient watcher = server.connect("?token=" + anonymous)) {
        watcher.next("canvas:state");
        JsonObject answer = watcher.answerTo(watcher.paint(2, 2, "#000000"));
        assertThat(answer.getJsonObject("data").getString("reason")).isEqualTo("login_required");
      }
    }
  }

  @Test
  void aCallbackWhoseStateIsNotThisBrowsersIsRefusedAndAStateIsUsedOnce() throws Exception {
    try (TestServer server = TestServer.start(env())) {
      Returned returned = signInAtProvider(server);
      assertThat(error(callback(returned.callback(), null))).isEqualTo("state_mismatch");
      Returned other = signInAtProvider(server);
      assertThat(error(callback(other.callback(), returned.cookie()))).isEqualTo("state_mismatch");

      Returned fresh = signInAtProvider(server);
      sessionOf(callback(fresh.callback(), fresh.cookie()));
      assertThat(error(callback(fresh.callback(), fresh.cookie()))).isEqualTo("state_mismatch");
    }
  }

  @Test
  void aBrowserWhoseStateDoesNotMatchIsSentBackToThePageWithTheErrorCode() throws Exception {
    try (TestServer server = TestServer.start(env())) {
      Returned returned = signInAtProvider(server);
      HttpResponse<String> answer = callback(returned.callback(), null, BROWSER_ACCEPT);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
      assertThat(answer.headers().firstValue("Location")).hasValue("/app/#signin_error=state_mismatch");
      assertThat(answer.headers().firstValue("Content-Type")).isEmpty();
      assertThat(answer.body()).isEmpty();
    }
  }

  @Test
  void anIdTokenForAnotherAudienceIsRefusedAtTheCallback() throws Exception {
    try (TestServer server = TestServer.start(env())) {
      provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "mallory", "JWT", null,
          Map.of("aud", java.util.List.of("another-client"))));
      Returned returned = signInAtProvider(server);
      assertThat(error(callback(returned.callback(), returned.cookie()))).isEqualTo("token_audience");
    }
  }

  @Test
  void anAccountYoungerThanTheMinimumAgeIsRefusedAndAnOlderOneSignsIn() throws Exception {
    try (TestServer server = TestServer.start(env("MIN_ACCOUNT_AGE_DAYS", "7", "OIDC_CREATED_AT_CLAIM", "created_at"))) {
      long now = java.time.Instant.now().getEpochSecond();
      provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "newcomer", "JWT", null,
          Map.of("created_at", now - 86_400)));
      Returned young = signInAtProvider(server);
      assertThat(error(callback(young.callback(), young.cookie()))).isEqualTo("account_too_new");

      provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "veteran", "JWT", null,
          Map.of("created_at", now - 30 * 86_400)));
      Returned old = signInAtProvider(server);
      assertThat(sessionOf(callback(old.callback(), old.cookie())).getString("userId")).isEqualTo("mock:veteran");
    }
  }

  @Test
  void anIdTokenThatExpiredBeforeItArrivedIsRefusedAtTheCallback() throws Exception {
    TestClock clock = TestClock.stoppedNow();
    try (TestServer server = TestServer.start(env(), clock)) {
      provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "slow", "JWT", null, Map.of(), 5));
      Returned returned = signInAtProvider(server);
      clock.advance(Duration.ofMinutes(2));
      assertThat(error(callback(returned.callback(), returned.cookie()))).isEqualTo("token_expired");
    }
  }

  @Test
  void anUnknownProviderIsNotFound() throws Exception {
    try (TestServer server = TestServer.start(env())) {
      assertThat(browser.send(HttpRequest.newBuilder(server.uri("/auth/nobody/login"))
              .header("Accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }
  }
}
