package dev.millrace.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiServer;
import dev.millrace.api.ApiSettings;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes mode against a mock API server in mixed mode: TokenReview and SubjectAccessReview
 * answered by expectations (alice may read sources, nothing else), everything else by CRUD.
 */
class KubernetesAuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    private KubernetesMockServer kube;
    private KubernetesClient client;
    private Store store;
    private ApiServer server;
    private final List<JsonNode> accessReviews = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        kube =
                new KubernetesMockServer(
                        new Context(),
                        new MockWebServer(),
                        responses,
                        new KubernetesMixedDispatcher(responses),
                        false);
        kube.init(InetAddress.getLoopbackAddress(), 0);
        kube.expect()
                .post()
                .withPath("/apis/authentication.k8s.io/v1/tokenreviews")
                .andReply(200, request -> tokenReview(request.getUtf8Body()))
                .always();
        kube.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews")
                .andReply(200, request -> accessReview(request.getUtf8Body()))
                .always();
        client = kube.createClient();
        store = Store.openDuckDb(tmp.resolve("store.duckdb"));
        server =
                new ApiServer(
                                ApiSettings.of("127.0.0.1", 0, "team-a", "test", tmp, tmp)
                                        .withAuth(
                                                new AuthSettings(
                                                        EnumSet.of(AuthMode.KUBERNETES),
                                                        null,
                                                        null,
                                                        null,
                                                        null,
                                                        null,
                                                        null,
                                                        null)),
                                client,
                                store,
                                Clock.systemUTC())
                        .start();
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
        client.close();
        kube.destroy();
    }

    private static Object tokenReview(String body) {
        try {
            JsonNode review = JSON.readTree(body);
            boolean alice = "alice-token".equals(review.path("spec").path("token").asText());
            Map<String, Object> status =
                    alice
                            ? Map.of(
                                    "authenticated",
                                    true,
                                    "user",
                                    Map.of(
                                            "username",
                                            "alice",
                                            "uid",
                                            "u-1",
                                            "groups",
                                            List.of("analysts")))
                            : Map.of("authenticated", false);
            return Map.of(
                    "apiVersion", "authentication.k8s.io/v1",
                    "kind", "TokenReview",
                    "status", status);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Object accessReview(String body) {
        try {
            JsonNode review = JSON.readTree(body);
            accessReviews.add(review);
            JsonNode attributes = review.path("spec").path("resourceAttributes");
            boolean allowed =
                    review.path("spec").path("user").asText().equals("alice")
                            && attributes.path("group").asText().equals("millrace.dev")
                            && attributes.path("resource").asText().equals("sources")
                            && List.of("get", "list").contains(attributes.path("verb").asText());
            return Map.of(
                    "apiVersion", "authorization.k8s.io/v1",
                    "kind", "SubjectAccessReview",
                    "status", Map.of("allowed", allowed));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                method.equals("GET")
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rbacAllowsAliceToListSourcesInTheApisNamespace() throws Exception {
        HttpResponse<String> response = send("GET", "/api/sources", "alice-token");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode review = accessReviews.get(accessReviews.size() - 1).path("spec");
        assertThat(review.path("user").asText()).isEqualTo("alice");
        assertThat(review.path("groups").get(0).asText()).isEqualTo("analysts");
        JsonNode attributes = review.path("resourceAttributes");
        assertThat(attributes.path("verb").asText()).isEqualTo("list");
        assertThat(attributes.path("group").asText()).isEqualTo("millrace.dev");
        assertThat(attributes.path("resource").asText()).isEqualTo("sources");
        assertThat(attributes.path("namespace").asText()).isEqualTo("team-a");
    }

    @Test
    void rbacForbidsASyncAliceMayNotUpdateConnectionsFor() throws Exception {
        HttpResponse<String> response = send("POST", "/api/sources/orders/sync", "alice-token");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).path("detail").asText())
                .contains("alice")
                .contains("update connections.millrace.dev");
        JsonNode attributes =
                accessReviews.get(accessReviews.size() - 1).path("spec").path("resourceAttributes");
        assertThat(attributes.path("verb").asText()).isEqualTo("update");
        assertThat(attributes.path("resource").asText()).isEqualTo("connections");
    }

    @Test
    void patchingAPublicConnectionAsksForUpdateOnConnectionsInThePublicFormat() throws Exception {
        HttpResponse<String> response =
                send("PATCH", "/api/public/v1/connections/7d0e", "alice-token");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("Forbidden");
        JsonNode attributes =
                accessReviews.get(accessReviews.size() - 1).path("spec").path("resourceAttributes");
        assertThat(attributes.path("verb").asText()).isEqualTo("update");
        assertThat(attributes.path("resource").asText()).isEqualTo("connections");
    }

    @Test
    void aTokenKubernetesDoesNotKnowIsUnauthorized() throws Exception {
        HttpResponse<String> response = send("GET", "/api/sources", "mallory-token");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(send("GET", "/api/sources", null).statusCode()).isEqualTo(401);
    }

    @Test
    void openingTheEventFeedNeedsWatchOnSources() {
        CompletableFuture<WebSocket> feed =
                http.newWebSocketBuilder()
                        .header("Authorization", "Bearer alice-token")
                        .buildAsync(
                                URI.create(server.baseUrl().replace("http", "ws") + "/ws"),
                                new WebSocket.Listener() {});

        assertThatThrownBy(feed::join)
                .cause()
                .isInstanceOfSatisfying(
                        WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(403));
        JsonNode attributes =
                accessReviews.get(accessReviews.size() - 1).path("spec").path("resourceAttributes");
        assertThat(attributes.path("verb").asText()).isEqualTo("watch");
        assertThat(attributes.path("resource").asText()).isEqualTo("sources");
        assertThat(attributes.path("namespace").asText()).isEqualTo("team-a");
    }
}
