package dev.millrace.api.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which auth modes are on and what each needs. Secrets are held as bytes and never printed: {@link
 * #toString()} names only the modes.
 *
 * @param modes the modes tried, in the order token, jwt, kubernetes; {NONE} turns auth off
 * @param tokenSecretNamespace namespace of the Secret of static tokens (mode TOKEN)
 * @param tokenSecretName name of that Secret; each data key names a token, its value is the token
 * @param tokenReload how often the Secret is read again
 * @param jwtHs256Secret shared secret of HS256 tokens, or null
 * @param jwtRs256PublicKey public key of RS256 tokens, or null
 * @param jwtIssuer required {@code iss} claim, or null for any
 * @param jwtAudience required {@code aud} value, or null for any
 */
public record AuthSettings(
        Set<AuthMode> modes,
        String tokenSecretNamespace,
        String tokenSecretName,
        Duration tokenReload,
        byte[] jwtHs256Secret,
        RSAPublicKey jwtRs256PublicKey,
        String jwtIssuer,
        String jwtAudience) {
    public static final Duration DEFAULT_TOKEN_RELOAD = Duration.ofSeconds(30);

    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_HS256_SECRET_BYTES = 32;

    public AuthSettings {
        modes =
                modes == null || modes.isEmpty()
                        ? EnumSet.of(AuthMode.NONE)
                        : EnumSet.copyOf(modes);
        if (modes.contains(AuthMode.NONE) && modes.size() > 1) {
            throw new IllegalArgumentException("auth mode 'none' cannot be combined with " + modes);
        }
        if (modes.contains(AuthMode.TOKEN)
                && (blank(tokenSecretNamespace) || blank(tokenSecretName))) {
            throw new IllegalArgumentException(
                    "auth mode 'token' needs the Secret of tokens as namespace/name"
                            + " (--auth-token-secret)");
        }
        if (modes.contains(AuthMode.JWT) && jwtHs256Secret == null && jwtRs256PublicKey == null) {
            throw new IllegalArgumentException(
                    "auth mode 'jwt' needs an HS256 secret (--jwt-hs256-secret-file) or an RS256"
                            + " public key (--jwt-rs256-public-key-file)");
        }
        if (jwtHs256Secret != null && jwtHs256Secret.length < MIN_HS256_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "the HS256 secret must be at least "
                            + MIN_HS256_SECRET_BYTES
                            + " bytes long, it is "
                            + jwtHs256Secret.length);
        }
        tokenReload = tokenReload == null ? DEFAULT_TOKEN_RELOAD : tokenReload;
    }

    /** Auth off: only valid for a server bound to a loopback address. */
    public static AuthSettings none() {
        return new AuthSettings(
                EnumSet.of(AuthMode.NONE), null, null, null, null, null, null, null);
    }

    /** Static tokens from the Secret {@code namespace/name}. */
    public static AuthSettings tokens(String namespace, String name) {
        return new AuthSettings(
                EnumSet.of(AuthMode.TOKEN), namespace, name, null, null, null, null, null);
    }

    public boolean enabled() {
        return !modes.contains(AuthMode.NONE);
    }

    public AuthSettings withTokenReload(Duration reload) {
        return new AuthSettings(
                modes,
                tokenSecretNamespace,
                tokenSecretName,
                reload,
                jwtHs256Secret,
                jwtRs256PublicKey,
                jwtIssuer,
                jwtAudience);
    }

    /**
     * Reads an HS256 secret file; surrounding whitespace (a trailing newline) is not part of it.
     */
    public static byte[] readHs256Secret(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8)
                .strip()
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads an RSA public key in PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509
     * SubjectPublicKeyInfo).
     */
    public static RSAPublicKey readRsaPublicKey(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
            throw new IllegalArgumentException(
                    file + " is not a PEM public key (expected -----BEGIN PUBLIC KEY-----)");
        }
        String base64 =
                pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return (RSAPublicKey)
                    KeyFactory.getInstance("RSA")
                            .generatePublic(
                                    new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (Exception e) {
            throw new IllegalArgumentException(file + " does not hold an RSA public key", e);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return "AuthSettings" + modes;
    }
}
