package dev.pixels.abuse;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A client's side of the ALTCHA exchange, as the widget does it: find the number, then encode the payload. */
final class Altcha {
  private Altcha() {}

  /** The base64 payload solving {@code challenge} (the JSON the server issued). */
  static String solve(JsonObject challenge) {
    String salt = challenge.getString("salt");
    String target = challenge.getString("challenge");
    for (long n = 0; n <= challenge.getLong("maxnumber"); n++) {
      if (ProofOfWork.sha256Hex(salt + n).equals(target)) {
        return payload(challenge, n);
      }
    }
    throw new AssertionError("no number solves " + challenge);
  }

  static String payload(JsonObject challenge, long number) {
    JsonObject p = new JsonObject().put("algorithm", challenge.getString("algorithm"))
        .put("challenge", challenge.getString("challenge")).put("number", number)
        .put("salt", challenge.getString("salt")).put("signature", challenge.getString("signature"));
    return Base64.getEncoder().encodeToString(p.encode().getBytes(StandardCharsets.UTF_8));
  }

  static JsonObject json(ProofOfWork.Challenge c) {
    return new JsonObject().put("algorithm", c.algorithm()).put("challenge", c.challenge())
        .put("maxnumber", c.maxnumber()).put("salt", c.salt()).put("signature", c.signature());
  }
}
