package dev.pixels.abuse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pixels.identity.DerivedKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;

/**
 * Proof of work in the ALTCHA scheme (SHA-256, its first protocol version): the server issues a
 * challenge {@code SHA-256(salt + number)} for a secret random number below the difficulty, signs it
 * with HMAC-SHA256, and the client finds the number by trying them. The salt carries the expiry as
 * {@code ?expires=<epoch seconds>&}, so the signature covers it.
 *
 * <p>A redeemed solution pays for {@link PowSettings#pixelsPerSolution()} pixels within {@link
 * PowSettings#solutionLifetime()} for one user id. Each signature is redeemed once: spent
 * signatures are kept until their challenge expires, after which the expiry alone refuses them.
 *
 * <p>Everything held is bounded: spent signatures and credits each at {@link #MAX_ENTRIES}; both
 * cost a solved challenge to create and are dropped when they expire ({@link #evictExpired}). Issuing
 * a challenge holds nothing.
 *
 * <p>Thread-safe: the maps are concurrent, a credit's pixels an atomic counter; each thread keeps
 * its own {@link Mac}.
 */
public final class ProofOfWork {
  static final int MAX_ENTRIES = 100_000;
  static final int MAX_PAYLOAD_CHARS = 2048;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  private final PowSettings settings;
  private final InstantSource clock;
  private final ThreadLocal<Mac> macs;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Long> spent = new ConcurrentHashMap<>();
  private final Map<String, Credit> credits = new ConcurrentHashMap<>();

  /** A challenge as the ALTCHA widget reads it. */
  public record Challenge(String algorithm, String challenge, long maxnumber, String salt, String signature) {}

  /** The outcome of redeeming a solution. */
  public sealed interface Redemption permits Granted, Refused {}

  /** The solution was good: the user may paint {@code pixels} pixels until {@code until}. */
  public record Granted(int pixels, Instant until) implements Redemption {}

  /**
   * The solution was refused.
   *
   * @param code one of {@code pow_invalid}, {@code pow_expired}, {@code pow_replayed}, {@code pow_busy}
   */
  public record Refused(String code, String message) implements Redemption {}

  private static final class Credit {
    final AtomicInteger pixels;
    final long untilMillis;

    Credit(int pixels, long untilMillis) {
      this.pixels = new AtomicInteger(pixels);
      this.untilMillis = untilMillis;
    }
  }

  /** Proof of work with an HMAC key derived from {@code sessionSecret}. */
  public ProofOfWork(PowSettings settings, String sessionSecret, InstantSource clock) {
    this.settings = settings;
    this.clock = clock;
    this.macs = DerivedKeys.macs(sessionSecret, "pixels proof-of-work key v1");
  }

  public PowSettings settings() {
    return settings;
  }

  /** A fresh challenge, valid for {@link PowSettings#challengeLifetime()}. */
  public Challenge issue() {
    byte[] saltBytes = new byte[12];
    random.nextBytes(saltBytes);
    long expires = clock.instant().plus(settings.challengeLifetime()).getEpochSecond();
    String salt = HEX.formatHex(saltBytes) + "?expires=" + expires + "&";
    long number = random.nextLong(settings.difficulty() + 1L);
    String challenge = sha256Hex(salt + number);
    return new Challenge("SHA-256", challenge, settings.difficulty(), salt, hmacHex(challenge));
  }

  /**
   * Redeems the base64 JSON payload {@code {algorithm, challenge, number, salt, signature}} that the
   * ALTCHA widget submits, for {@code userId}.
   */
  public Redemption redeem(String userId, String payload) {
    if (payload == null || payload.length() > MAX_PAYLOAD_CHARS) {
      return invalid();
    }
    JsonNode root;
    try {
      root = JSON.readTree(Base64.getDecoder().decode(payload.trim()));
    } catch (IOException | IllegalArgumentException e) {
      return invalid();
    }
    if (root == null || !root.isObject() || !text(root, "algorithm").equals("SHA-256")
        || !root.path("number").canConvertToLong() || !root.path("number").isIntegralNumber()) {
      return invalid();
    }
    String salt = text(root, "salt");
    String challenge = text(root, "challenge");
    String signature = text(root, "signature");
    long number = root.get("number").longValue();
    long expires = expiresOf(salt);
    boolean genuine = number >= 0 && equal(sha256Hex(salt + number), challenge) && equal(hmacHex(challenge), signature);
    if (!genuine || expires < 0) {
      return invalid();
    }
    long now = clock.millis();
    if (now >= expires * 1000) {
      return new Refused("pow_expired", "the challenge has expired; GET /pow/challenge for a new one");
    }
    if (spent.size() >= MAX_ENTRIES || credits.size() >= MAX_ENTRIES) {
      evictExpired();
      if (spent.size() >= MAX_ENTRIES || credits.size() >= MAX_ENTRIES) {
        return new Refused("pow_busy", "too many proofs of work are outstanding; try again in a minute");
      }
    }
    if (spent.putIfAbsent(signature, expires * 1000) != null) {
      return new Refused("pow_replayed", "this solution was already used; GET /pow/challenge for a new one");
    }
    long until = now + settings.solutionLifetime().toMillis();
    credits.put(userId, new Credit(settings.pixelsPerSolution(), until));
    return new Granted(settings.pixelsPerSolution(), Instant.ofEpochMilli(until));
  }

  /**
   * Takes one pixel of {@code userId}'s credit; false if it has none left or it has expired. Allocates
   * nothing: it runs for every pixel.
   */
  boolean take(String userId) {
    Credit credit = credits.get(userId);
    if (credit == null || clock.millis() >= credit.untilMillis) {
      return false;
    }
    if (credit.pixels.getAndDecrement() > 0) {
      return true;
    }
    credit.pixels.incrementAndGet();
    return false;
  }

  /** Gives back a pixel {@link #take} took for a pixel that was then refused. */
  void giveBack(String userId) {
    Credit credit = credits.get(userId);
    if (credit != null) {
      credit.pixels.incrementAndGet();
    }
  }

  /** Ends {@code userId}'s credit: it must solve a new proof of work before it paints again. */
  public boolean revoke(String userId) {
    return credits.remove(userId) != null;
  }

  /** Drops spent signatures whose challenge expired and credits that ran out of time. */
  public void evictExpired() {
    long now = clock.millis();
    spent.values().removeIf(expiresAt -> expiresAt <= now);
    for (Iterator<Credit> it = credits.values().iterator(); it.hasNext(); ) {
      Credit c = it.next();
      if (c.untilMillis <= now || c.pixels.get() <= 0) {
        it.remove();
      }
    }
  }

  int heldEntries() {
    return spent.size() + credits.size();
  }

  private static Refused invalid() {
    return new Refused("pow_invalid", "the proof of work is not a valid solution to a challenge of this server");
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node != null && node.isTextual() && node.textValue().length() <= 256 ? node.textValue() : "";
  }

  /** The {@code expires} parameter of a salt, or -1 if it has none. */
  static long expiresOf(String salt) {
    int query = salt.indexOf('?');
    if (query < 0) {
      return -1;
    }
    for (String part : salt.substring(query + 1).split("&")) {
      if (part.startsWith("expires=")) {
        try {
          return Long.parseLong(part.substring("expires=".length()));
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static boolean equal(String expected, String presented) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        presented.getBytes(StandardCharsets.US_ASCII));
  }

  static String sha256Hex(String text) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }

  private String hmacHex(String text) {
    return HEX.formatHex(macs.get().doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }
}
