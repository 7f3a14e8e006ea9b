package dev.millrace.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import java.text.ParseException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * JWT bearer tokens: HS256 with a shared secret and/or RS256 with a public key. The algorithm comes
 * from configuration, never from the token alone: a token's {@code alg} must be one configured (no
 * {@code none}, no HS256 signed with the RSA public key). {@code exp} is required; {@code nbf},
 * issuer and audience are checked as configured.
 */
final class JwtTokens {
    private final JWSVerifier hs256;
    private final JWSVerifier rs256;
    private final DefaultJWTClaimsVerifier<com.nimbusds.jose.proc.SecurityContext> claims;

    JwtTokens(AuthSettings settings) {
        try {
            this.hs256 =
                    settings.jwtHs256Secret() == null
                            ? null
                            : new MACVerifier(settings.jwtHs256Secret());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable HS256 secret: " + e.getMessage(), e);
        }
        this.rs256 =
                settings.jwtRs256PublicKey() == null
                        ? null
                        : new RSASSAVerifier(settings.jwtRs256PublicKey());
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (settings.jwtIssuer() != null) {
            exact.issuer(settings.jwtIssuer());
        }
        Set<String> required = new HashSet<>(Set.of("exp"));
        this.claims =
                new DefaultJWTClaimsVerifier<>(
                        settings.jwtAudience() == null ? null : Set.of(settings.jwtAudience()),
                        exact.build(),
                        required,
                        null);
        this.claims.setMaxClockSkew(30);
    }

    /** The caller named by a valid token's {@code sub}, or empty for anything else. */
    Optional<Caller> verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
            JWSVerifier verifier =
                    JWSAlgorithm.HS256.equals(alg)
                            ? hs256
                            : JWSAlgorithm.RS256.equals(alg) ? rs256 : null;
            if (verifier == null || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet set = jwt.getJWTClaimsSet();
            claims.verify(set, null);
            String subject = set.getSubject();
            return Optional.of(new Caller(subject == null ? "jwt" : subject, AuthMode.JWT));
        } catch (ParseException | JOSEException | BadJWTException | IllegalStateException e) {
            return Optional.empty();
        }
    }
}
