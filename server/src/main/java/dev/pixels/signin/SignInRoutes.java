package dev.pixels.signin;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.pixels.http.Http;
import dev.pixels.http.RouteContributor;
import dev.pixels.identity.SessionTokens;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Sign-in with OpenID Connect: {@code GET /auth/providers}, {@code GET /auth/<id>/login} and {@code
 * GET /auth/<id>/callback}, the authorization-code flow with PKCE (S256), a {@code state} bound to
 * the browser by a cookie, and a nonce. After the ID token is validated ({@link IdTokenValidator}),
 * the server issues its own session token for {@code <id>:<subject>} and sends the browser back to
 * the page with it in the URL fragment, which is never sent to a server. See docs/identity.md.
 *
 * <p>Handlers run on event loops; everything that calls a provider runs in {@code executeBlocking}
 * and answers on the request's context.
 */
public final class SignInRoutes implements RouteContributor {
  static final String STATE_COOKIE = "pixels_signin";
  /** Longest user id issued; keeps the session token under its length limit. */
  static final int MAX_USER_ID_LENGTH = 128;

  private final Map<String, ProviderClient> providers = new LinkedHashMap<>();
  private final PendingSignIns pending;
  private final SessionTokens sessions;
  private final Duration minAccountAge;
  private final InstantSource clock;

  public SignInRoutes(SignInSettings settings, SessionTokens sessions, InstantSource clock) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    for (OidcProvider p : settings.providers()) {
      providers.put(p.id(), new ProviderClient(p, http, clock));
    }
    this.pending = new PendingSignIns(clock);
    this.sessions = sessions;
    this.minAccountAge = settings.minAccountAge();
    this.clock = clock;
  }

  /** Drops sign-ins that were started and never came back. */
  public void evictExpired() {
    pending.evictExpired();
  }

  @Override
  public void register(Router router) {
    Http.getOrHead(router, "/auth/providers").handler(ctx -> {
      JsonArray list = new JsonArray();
      providers.values().forEach(p -> list.add(new JsonObject().put("id", p.provider().id())
          .put("name", p.provider().name()).put("login", "/auth/" + p.provider().id() + "/login")));
      Http.json(ctx, 200, new JsonObject().put("providers", list).encode());
    });
    router.get("/auth/:provider/login").handler(this::login);
    router.get("/auth/:provider/callback").handler(this::callback);
  }

  private void login(RoutingContext ctx) {
    ProviderClient provider = providers.get(ctx.pathParam("provider"));
    if (provider == null) {
      refuse(ctx, 404, "not_found", "no such sign-in provider; see GET /auth/providers");
      return;
    }
    Map.Entry<String, PendingSignIns.Pending> started = pending.start(provider.provider().id());
    if (started == null) {
      refuse(ctx, 503, "busy", "too many sign-ins are in progress; try again in a few minutes");
      return;
    }
    blocking(ctx, () -> provider.authorizationUrl(started.getKey(), started.getValue()), url -> {
      Cookie cookie = Cookie.cookie(STATE_COOKIE, started.getKey()).setPath("/auth/").setHttpOnly(true)
          .setSameSite(CookieSameSite.LAX).setMaxAge(PendingSignIns.LIFETIME_MILLIS / 1000)
          .setSecure("https".equals(provider.provider().redirectUrl().getScheme()));
      ctx.response().addCookie(cookie);
      redirect(ctx, url.toString());
    });
  }

  private void callback(RoutingContext ctx) {
    ProviderClient provider = providers.get(ctx.pathParam("provider"));
    if (provider == null) {
      refuse(ctx, 404, "not_found", "no such sign-in provider; see GET /auth/providers");
      return;
    }
    String state = ctx.request().getParam("state");
    Cookie cookie = ctx.request().getCookie(STATE_COOKIE);
    ctx.response().addCookie(Cookie.cookie(STATE_COOKIE, "").setPath("/auth/").setMaxAge(0));
    // The state must be the one this browser was given, and still pending; either way it is used up.
    PendingSignIns.Pending started = pending.take(state);
    if (state == null || cookie == null || !java.security.MessageDigest.isEqual(
        cookie.getValue().getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))
        || started == null || !started.providerId().equals(provider.provider().id())) {
      refuse(ctx, 400, "state_mismatch",
          "this sign-in was not started in this browser, was already used, or took over 10 minutes; sign in again");
      return;
    }
    String code = ctx.request().getParam("code");
    if (code == null || code.isEmpty() || code.length() > 2048) {
      refuse(ctx, 400, "provider_refused", "the provider did not sign you in ("
          + (ctx.request().getParam("error") == null ? "no code" : "it answered an error") + ")");
      return;
    }
    blocking(ctx, () -> signIn(provider, provider.redeem(code, started)), session -> redirect(ctx,
        "/app/#session=" + Base64.getUrlEncoder().withoutPadding().encodeToString(
            session.encode().getBytes(StandardCharsets.UTF_8))));
  }

  /** The page's session for validated {@code claims}: {@code {userId, token, expiresAt, name}}. */
  private JsonObject signIn(ProviderClient provider, JWTClaimsSet claims) throws SignInRefused {
    String userId = provider.provider().id() + ":" + claims.getSubject();
    if (userId.length() > MAX_USER_ID_LENGTH) {
      throw new SignInRefused("token_invalid", "the provider's subject is too long to be a user id here");
    }
    if (!minAccountAge.isZero()) {
      Instant created = createdAt(claims, provider.provider().createdAtClaim());
      if (created == null) {
        throw new SignInRefused("account_age_unknown", "the provider did not say when your account was created");
      }
      if (created.plus(minAccountAge).isAfter(clock.instant())) {
        throw new SignInRefused("account_too_new", "your account is too new to sign in here; try again later");
      }
    }
    SessionTokens.Session session = sessions.issue(userId);
    return new JsonObject().put("userId", session.userId()).put("token", session.token())
        .put("expiresAt", session.expiresAt().toString()).put("name", displayName(claims))
        .put("provider", provider.provider().name());
  }

  private static Instant createdAt(JWTClaimsSet claims, String claim) {
    if (claim == null) {
      return null;
    }
    Object value = claims.getClaim(claim);
    if (value instanceof Number n) {
      return Instant.ofEpochSecond(n.longValue());
    }
    if (value instanceof java.util.Date d) {
      return d.toInstant();
    }
    try {
      return value instanceof String s ? Instant.parse(s) : null;
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static String displayName(JWTClaimsSet claims) {
    for (String claim : new String[] {"name", "preferred_username", "nickname"}) {
      try {
        String value = claims.getStringClaim(claim);
        if (value != null && !value.isBlank()) {
          return value.length() > 64 ? value.substring(0, 64) : value;
        }
      } catch (ParseException e) {
        // not a string: try the next claim
      }
    }
    return claims.getSubject();
  }

  /**
   * Answers a refused sign-in. A person's browser is sent back to the page with the code in the
   * fragment, and the page says what went wrong in words; a client that asks for JSON gets {@code
   * {error, message}} with {@code status}. Codes are this server's own constants, never client input.
   */
  private static void refuse(RoutingContext ctx, int status, String code, String message) {
    if (asksForJson(ctx.request().getHeader(HttpHeaders.ACCEPT))) {
      Http.error(ctx, status, code, message);
    } else if (!ctx.response().ended()) {
      redirect(ctx, "/app/#signin_error=" + code);
    }
  }

  /** Whether an {@code Accept} header asks for JSON rather than a page, as a browser's never does. */
  static boolean asksForJson(String accept) {
    if (accept == null) {
      return false;
    }
    String lower = accept.toLowerCase(java.util.Locale.ROOT);
    return lower.contains("application/json") && !lower.contains("text/html");
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, location)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
  }

  private interface Then<T> {
    void accept(T value);
  }

  /** Runs {@code work} on a worker thread, then {@code then} on the request's context, or answers the refusal. */
  private static <T> void blocking(RoutingContext ctx, Callable<T> work, Then<T> then) {
    ctx.vertx().executeBlocking(work, false).onComplete(ar -> {
      if (ar.succeeded()) {
        then.accept(ar.result());
      } else if (ar.cause() instanceof SignInRefused r) {
        refuse(ctx, r.code().equals("provider_unreachable") ? 502 : 400, r.code(), r.getMessage());
      } else {
        refuse(ctx, 500, "internal", "the sign-in failed");
      }
    });
  }
}
