package dev.millrace.api.connector;

import static dev.millrace.api.connector.ConnectorApiFixture.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.api.ApiSettings;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.api.auth.AuthSettings;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference's rate-limit headers on every response of the family, and 429 past the budget. */
class ConnectorRateLimitApiTest {
    private static final int BUDGET = 5;
    @TempDir static Path tmp;
    static ApiTestCluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        cluster =
                new ApiTestCluster(
                        tmp,
                        AuthSettings.tokens(ApiTestCluster.NS, "api-tokens"),
                        client ->
                                client.resource(
                                                new SecretBuilder()
                                                        .withNewMetadata()
                                                        .withName("api-tokens")
                                                        .withNamespace(ApiTestCluster.NS)
                                                        .endMetadata()
                                                        .withStringData(
                                                                Map.of(
                                                                        "alice",
                                                                                "alice-token-1f3c9",
                                                                        "bob", "bob-token-7d2e4",
                                                                        "carol",
                                                                                "carol-token-90ab1"))
                                                        .build())
                                        .create(),
                        new ApiSettings.ConnectorApiSettings(BUDGET, Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(cluster.server.baseUrl() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eachCallerHasItsBudgetAndIsRefusedWith429PastIt() throws Exception {
        // Budgets are per fixed minute: a run that straddles two minutes is repeated by another
        // caller, who then has a whole fresh minute.
        for (String token : new String[] {"alice-token-1f3c9", "carol-token-90ab1"}) {
            if (spendTheBudget(token)) {
                HttpResponse<String> other = get("/api/connector", "bob-token-7d2e4");
                assertThat(other.statusCode()).isEqualTo(200);
                assertThat(other.headers().firstValue("X-RateLimit-Remaining"))
                        .hasValue(Integer.toString(BUDGET - 1));
                return;
            }
        }
        throw new AssertionError("two runs straddled a minute's end");
    }

    /** Spends the caller's budget and checks the 429 after it; false if the minute ended. */
    private boolean spendTheBudget(String token) throws Exception {
        Long reset = null;
        for (int i = 1; i <= BUDGET; i++) {
            HttpResponse<String> response =
                    get(i % 2 == 0 ? "/api/connector" : "/api/connector/999", token);
            assertThat(response.statusCode()).isIn(200, 404);
            long thisReset =
                    Long.parseLong(
                            response.headers().firstValue("X-RateLimit-Reset").orElseThrow());
            if (reset != null && thisReset != reset) {
                return false;
            }
            reset = thisReset;
            assertThat(response.headers().firstValue("X-RateLimit-Limit")).hasValue("5");
            assertThat(response.headers().firstValue("X-RateLimit-Remaining"))
                    .hasValue(Integer.toString(BUDGET - i));
            assertThat(reset).isGreaterThan(Instant.now().getEpochSecond() - 1);
            assertThat(reset % 60).isZero();
        }
        HttpResponse<String> refused = get("/api/connector", token);
        if (!refused.headers().firstValue("X-RateLimit-Reset").orElseThrow().equals("" + reset)) {
            return false;
        }
        assertThat(assertError(refused, 429)).contains("Rate limit");
        assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 60L);
        return true;
    }

    @Test
    void unauthenticatedResponsesCarryTheHeadersToo() throws Exception {
        HttpResponse<String> response = get("/api/connector", null);

        assertError(response, 401);
        assertThat(response.headers().firstValue("X-RateLimit-Limit")).hasValue("5");
        assertThat(response.headers().firstValue("X-RateLimit-Remaining")).isPresent();
        assertThat(response.headers().firstValue("X-RateLimit-Reset")).isPresent();
    }
}
