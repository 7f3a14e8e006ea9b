package dev.millrace.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiTestCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticTokenAuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CI_TOKEN = "ci-token-0123456789abcdef";

    @TempDir Path tmp;
    private ApiTestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster =
                new ApiTestCluster(
                        tmp,
                        AuthSettings.tokens(ApiTestCluster.NS, "millrace-api-tokens")
                                .withTokenReload(Duration.ofMillis(100)),
                        client -> client.resource(tokenSecret(Map.of("ci", CI_TOKEN))).create());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static Secret tokenSecret(Map<String, String> tokens) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName("millrace-api-tokens")
                .withNamespace(ApiTestCluster.NS)
                .endMetadata()
                .withStringData(tokens)
                .build();
    }

    @Test
    void aRequestWithoutATokenIsUnauthorizedInThePlatformFormat() throws Exception {
        HttpResponse<String> response = cluster.get("/api/sources");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("detail").asText()).contains("bearer token");
        assertThat(response.body()).doesNotContain(CI_TOKEN);
    }

    @Test
    void refusalsUseTheErrorFormatOfThePathsFamily() throws Exception {
        JsonNode publicFamily = JSON.readTree(cluster.get("/api/public/v1/sources").body());
        assertThat(publicFamily.path("error").asText()).isEqualTo("Unauthorized");
        assertThat(publicFamily.path("message").asText()).isNotBlank();

        HttpResponse<String> connector = cluster.get("/api/connectors");
        assertThat(connector.statusCode()).isEqualTo(401);
        JsonNode connectorFamily = JSON.readTree(connector.body());
        assertThat(connectorFamily.path("error").asText()).isEqualTo("Unauthorized");
        assertThat(connectorFamily.path("status").asInt()).isEqualTo(401);

        JsonNode monitoring = JSON.readTree(cluster.get("/pipeline").body());
        assertThat(monitoring.path("detail").asText()).isNotBlank();
    }

    @Test
    void aTokenFromTheSecretIsAcceptedAndAWrongOneIsNot() throws Exception {
        assertThat(cluster.withBearerToken(CI_TOKEN).get("/api/sources").statusCode())
                .isEqualTo(200);
        assertThat(cluster.withBearerToken(CI_TOKEN + "x").get("/api/sources").statusCode())
                .isEqualTo(401);
        assertThat(cluster.withBearerToken("ci").get("/api/sources").statusCode()).isEqualTo(401);
    }

    @Test
    void tokensFollowTheSecretWithoutARestart() throws Exception {
        cluster.client
                .secrets()
                .inNamespace(ApiTestCluster.NS)
                .withName("millrace-api-tokens")
                .edit(
                        s ->
                                new SecretBuilder(s)
                                        .withData(Map.of())
                                        .withStringData(
                                                Map.of("dashboards", "dashboards-token-abcdef0123"))
                                        .build());

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> {
                            assertThat(
                                            cluster.withBearerToken("dashboards-token-abcdef0123")
                                                    .get("/api/sources")
                                                    .statusCode())
                                    .isEqualTo(200);
                            assertThat(
                                            cluster.withBearerToken(CI_TOKEN)
                                                    .get("/api/sources")
                                                    .statusCode())
                                    .isEqualTo(401);
                        });
    }

    @Test
    void theApiDescriptionAndItsPagesArePublic() throws Exception {
        assertThat(cluster.get("/api/openapi.json").statusCode()).isEqualTo(200);
        assertThat(cluster.get("/api/docs").statusCode()).isEqualTo(200);
        assertThat(cluster.get("/api/docs/swagger-ui-bundle.js").statusCode()).isEqualTo(200);
        assertThat(cluster.get("/api/redoc").statusCode()).isEqualTo(200);
        assertThat(cluster.get("/api/redoc/redoc.standalone.js").statusCode()).isEqualTo(200);
    }

    @Test
    void theEventFeedRefusesAHandshakeWithoutAToken() {
        assertThatThrownBy(() -> openFeed("/ws", null).join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
        assertThatThrownBy(() -> openFeed("/ws?access_token=" + CI_TOKEN + "x", null).join())
                .cause()
                .isInstanceOfSatisfying(
                        WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    }

    @Test
    void aRefusedHandshakeIsAnsweredInThePlatformErrorFormat() throws Exception {
        // The JDK WebSocket client drops the body of a refused handshake: speak HTTP by hand.
        URI base = URI.create(cluster.server.baseUrl());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream()
                    .write(
                            ("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                                            + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                            + "Connection: close\r\n\r\n")
                                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.setSoTimeout(10_000);
            String response =
                    new String(
                            socket.getInputStream().readAllBytes(),
                            java.nio.charset.StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 401");
            assertThat(response).contains("WWW-Authenticate: Bearer");
            assertThat(response).contains("\"detail\"");
        }
    }

    @Test
    void theEventFeedTakesTheTokenInTheHeaderOrAsAccessTokenOnTheHandshake() {
        WebSocket withHeader = openFeed("/ws", CI_TOKEN).join();
        WebSocket withQuery = openFeed("/ws?access_token=" + CI_TOKEN, null).join();
        try {
            assertThat(withHeader.isInputClosed()).isFalse();
            assertThat(withQuery.isInputClosed()).isFalse();
        } finally {
            withHeader.abort();
            withQuery.abort();
        }
    }

    @Test
    void onlyTheHandshakeAcceptsATokenInTheUrl() throws Exception {
        assertThat(cluster.get("/api/sources?access_token=" + CI_TOKEN).statusCode())
                .isEqualTo(401);
    }

    private java.util.concurrent.CompletableFuture<WebSocket> openFeed(String path, String token) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder.buildAsync(
                URI.create(cluster.server.baseUrl().replace("http", "ws") + path),
                new WebSocket.Listener() {});
    }
}
