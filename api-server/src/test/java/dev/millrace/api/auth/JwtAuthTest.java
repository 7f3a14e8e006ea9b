package dev.millrace.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.millrace.api.ApiTestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwtAuthTest {
    private static final String SECRET = "an-hs256-secret-of-at-least-32-bytes!";

    @TempDir static Path tmp;
    private ApiTestCluster cluster;
    private KeyPair rsa;

    @BeforeAll
    void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
        // The settings are read from files as the cli reads them.
        Path secretFile = Files.writeString(tmp.resolve("hs256.secret"), SECRET + "\n");
        Path keyFile =
                Files.writeString(
                        tmp.resolve("rs256.pem"),
                        "-----BEGIN PUBLIC KEY-----\n"
                                + Base64.getMimeEncoder(
                                                64, "\n".getBytes(StandardCharsets.US_ASCII))
                                        .encodeToString(rsa.getPublic().getEncoded())
                                + "\n-----END PUBLIC KEY-----\n");
        AuthSettings auth =
                new AuthSettings(
                        EnumSet.of(AuthMode.JWT),
                        null,
                        null,
                        null,
                        AuthSettings.readHs256Secret(secretFile),
                        AuthSettings.readRsaPublicKey(keyFile),
                        "https://issuer.example",
                        "millrace");
        assertThat(auth.jwtRs256PublicKey()).isEqualTo((RSAPublicKey) rsa.getPublic());
        cluster = new ApiTestCluster(tmp, auth, client -> {});
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    private static JWTClaimsSet.Builder validClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject("analyst")
                .issuer("https://issuer.example")
                .audience("millrace")
                .expirationTime(Date.from(now.plusSeconds(300)))
                .notBeforeTime(Date.from(now.minusSeconds(10)));
    }

    private static String sign(JWSSigner signer, JWSAlgorithm alg, JWTClaimsSet claims)
            throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private String hs256(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
        return sign(
                new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)),
                JWSAlgorithm.HS256,
                change.apply(validClaims()).build());
    }

    private int status(String token) throws Exception {
        return cluster.withBearerToken(token).get("/api/sources").statusCode();
    }

    @Test
    void validHs256AndRs256TokensAreAccepted() throws Exception {
        assertThat(status(hs256(c -> c))).isEqualTo(200);
        assertThat(
                        status(
                                sign(
                                        new RSASSASigner(rsa.getPrivate()),
                                        JWSAlgorithm.RS256,
                                        validClaims().build())))
                .isEqualTo(200);
    }

    @Test
    void expiredNotYetValidAndWithoutExpiryAreRejected() throws Exception {
        Instant now = Instant.now();
        assertThat(status(hs256(c -> c.expirationTime(Date.from(now.minusSeconds(120))))))
                .isEqualTo(401);
        assertThat(status(hs256(c -> c.notBeforeTime(Date.from(now.plusSeconds(600))))))
                .isEqualTo(401);
        assertThat(status(hs256(c -> c.expirationTime(null)))).isEqualTo(401);
    }

    @Test
    void wrongIssuerOrAudienceIsRejected() throws Exception {
        assertThat(status(hs256(c -> c.issuer("https://elsewhere.example")))).isEqualTo(401);
        assertThat(status(hs256(c -> c.audience("another-api")))).isEqualTo(401);
    }

    @Test
    void forgedAndUnsignedTokensAreRejected() throws Exception {
        String otherSecret =
                sign(
                        new MACSigner("another-secret-that-is-32-bytes-long!!"),
                        JWSAlgorithm.HS256,
                        validClaims().build());
        assertThat(status(otherSecret)).isEqualTo(401);
        assertThat(status(new PlainJWT(validClaims().build()).serialize())).isEqualTo(401);
        assertThat(
                        status(
                                sign(
                                        new MACSigner(
                                                (SECRET + SECRET).getBytes(StandardCharsets.UTF_8)),
                                        JWSAlgorithm.HS512,
                                        validClaims().build())))
                .isEqualTo(401);
        assertThat(status("not.a.jwt")).isEqualTo(401);
    }
}
