package dev.pixels.signin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.InstantSource;
import java.util.Date;
import java.util.Set;

/**
 * Validates ID tokens of one provider with Nimbus JOSE+JWT: the signature against the provider's
 * JWKS (RSA or EC, never {@code none} or HMAC), the issuer, the audience (this client), the expiry
 * (60 s of clock skew, read from the server's clock) and the nonce of the sign-in.
 *
 * <p>Thread-safe: the processor is configured once and Nimbus's JWK source caches the keys
 * concurrently. {@link #validate} may fetch the JWKS, so it runs off the event loops.
 */
final class IdTokenValidator {
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
      JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384);

  private final String issuer;
  private final String clientId;
  private final JWKSource<SecurityContext> keys;
  private final InstantSource clock;

  IdTokenValidator(String issuer, String clientId, JWKSource<SecurityContext> keys, InstantSource clock) {
    this.issuer = issuer;
    this.clientId = clientId;
    this.keys = keys;
    this.clock = clock;
  }

  /** The claims of {@code idToken} if it is valid for this client and the sign-in with {@code nonce}. */
  JWTClaimsSet validate(String idToken, String nonce) throws SignInRefused {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    processor.setJWTClaimsSetVerifier(new ClaimsVerifier(issuer, clientId, nonce, clock));
    try {
      return processor.process(idToken, null);
    } catch (ParseException e) {
      throw new SignInRefused("token_invalid", "the ID token is not a signed JWT");
    } catch (BadJWTException e) {
      throw ClaimsVerifier.refusal(e);
    } catch (BadJOSEException e) {
      throw new SignInRefused("token_signature", "the ID token's signature does not match the provider's keys");
    } catch (JOSEException e) {
      throw new SignInRefused("provider_unreachable", "the provider's signing keys could not be fetched");
    }
  }

  /**
   * Nimbus's claims checks, told the time by the server's clock. When Nimbus refuses the claims,
   * the refusal is named by looking at which of them differs: Nimbus decides, this only explains.
   */
  private static final class ClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
    private final InstantSource clock;
    private final String issuer;
    private final String clientId;
    private final String nonce;

    ClaimsVerifier(String issuer, String clientId, String nonce, InstantSource clock) {
      super(clientId, new JWTClaimsSet.Builder().issuer(issuer).claim("nonce", nonce).build(),
          Set.of("sub", "exp", "iat"));
      this.clock = clock;
      this.issuer = issuer;
      this.clientId = clientId;
      this.nonce = nonce;
    }

    @Override
    protected Date currentTime() {
      return Date.from(clock.instant());
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
      try {
        super.verify(claims, context);
      } catch (BadJWTException e) {
        throw new Explained(e, explain(claims));
      }
    }

    private SignInRefused explain(JWTClaimsSet claims) {
      if (!issuer.equals(claims.getIssuer())) {
        return new SignInRefused("token_issuer", "the ID token was issued by another issuer");
      }
      if (claims.getAudience() == null || !claims.getAudience().contains(clientId)) {
        return new SignInRefused("token_audience", "the ID token was issued for another client");
      }
      Date exp = claims.getExpirationTime();
      if (exp != null && !exp.toInstant().plusSeconds(getMaxClockSkew()).isAfter(clock.instant())) {
        return new SignInRefused("token_expired", "the ID token has expired");
      }
      if (!nonce.equals(claims.getClaim("nonce"))) {
        return new SignInRefused("token_nonce", "the ID token belongs to another sign-in (nonce mismatch)");
      }
      return new SignInRefused("token_invalid", "the ID token lacks a required claim or is not yet valid");
    }

    static SignInRefused refusal(BadJWTException e) {
      return e instanceof Explained explained ? explained.refusal
          : new SignInRefused("token_invalid", "the ID token's claims are not valid");
    }
  }

  /** Nimbus's refusal of the claims, carrying which claim it was. */
  private static final class Explained extends BadJWTException {
    private final transient SignInRefused refusal;

    Explained(BadJWTException cause, SignInRefused refusal) {
      super(cause.getMessage(), cause);
      this.refusal = refusal;
    }
  }
}
