package dev.millrace.api.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.model.Model;
import dev.millrace.crds.model.ModelSpec;
import dev.millrace.crds.model.ModelStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dbt endpoints against the API server alone: what it answers and what it asks the operator for
 * (the annotations). That the operator then runs the model is shown end to end in the cli module's
 * LocalModeTest; here the operator's status writes are played by the test.
 */
class DbtModelsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    private ApiTestCluster cluster;
    private WebSocket socket;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cluster = new ApiTestCluster(tmp);
        model("revenue");
        model("customers");
    }

    @AfterEach
    void stop() {
        if (socket != null) {
            socket.abort();
        }
        cluster.close();
    }

    @Test
    void runAnswersTheDocumentedBodyAndRequestsACascadingRun() throws Exception {
        Instant before = Instant.now().minusSeconds(1);

        HttpResponse<String> response = cluster.post("/api/dbt/models/revenue/run", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("message").asText()).isEqualTo("dbt model 'revenue' run started");
        assertThat(body.path("model_name").asText()).isEqualTo("revenue");
        assertThat(Instant.parse(body.path("started_at").asText())).isAfter(before);
        assertThat(body.size()).isEqualTo(4);
        var annotations = fetch("revenue").getMetadata().getAnnotations();
        assertThat(UUID.fromString(annotations.get(MillraceApi.RUN_ANNOTATION))).isNotNull();
        assertThat(annotations)
                .containsEntry(MillraceApi.RUN_OPTIONS_ANNOTATION, "{\"cascade\":true}");
    }

    @Test
    void cascadeFalseRunsOnlyThatModel() throws Exception {
        assertThat(cluster.post("/api/dbt/models/customers/run?cascade=false", null).statusCode())
                .isEqualTo(200);

        assertThat(fetch("customers").getMetadata().getAnnotations())
                .containsEntry(MillraceApi.RUN_OPTIONS_ANNOTATION, "{\"cascade\":false}");
    }

    @Test
    void aSecondRunWhileOneIsRequestedOrRunningIsAConflict() throws Exception {
        assertThat(cluster.post("/api/dbt/models/revenue/run", null).statusCode()).isEqualTo(200);

        HttpResponse<String> again = cluster.post("/api/dbt/models/revenue/run", null);

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).path("detail").asText())
                .isEqualTo("Model run already in progress for revenue");
        status("customers", ModelStatus.Phase.RUNNING, 7L, null);
        assertThat(cluster.post("/api/dbt/models/customers/run", null).statusCode()).isEqualTo(409);
    }

    @Test
    void unknownModelsAndMalformedFlagsAreRefusedInTheDetailFormat() throws Exception {
        for (String name : List.of("nope", "UPPER", "x".repeat(300), "..%2Frevenue")) {
            HttpResponse<String> response = cluster.post("/api/dbt/models/" + name + "/run", null);
            assertThat(response.statusCode()).as(name).isEqualTo(404);
            assertThat(JSON.readTree(response.body()).path("detail").asText())
                    .as(name)
                    .isNotBlank();
        }
        HttpResponse<String> missing = cluster.post("/api/dbt/models/nope/run", null);
        assertThat(JSON.readTree(missing.body()).path("detail").asText())
                .isEqualTo("Model 'nope' not found");

        HttpResponse<String> bad = cluster.post("/api/dbt/models/revenue/run?cascade=maybe", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("detail").asText())
                .isEqualTo("cascade must be a boolean, not 'maybe'");
        assertThat(
                        java.util.Optional.ofNullable(
                                        fetch("revenue").getMetadata().getAnnotations())
                                .orElse(java.util.Map.of()))
                .as("a refused request asks the operator for nothing")
                .doesNotContainKey(MillraceApi.RUN_ANNOTATION);
    }

    @Test
    void theModelListShowsTheOperatorsStatusLastRunAndRowCount() throws Exception {
        status("revenue", ModelStatus.Phase.SUCCESS, 7L, null);
        status("customers", ModelStatus.Phase.ERROR, 8L, "Catalog Error: Table x does not exist");

        JsonNode models = JSON.readTree(cluster.get("/api/dbt/models").body()).path("models");

        JsonNode customers = models.get(0);
        JsonNode revenue = models.get(1);
        assertThat(revenue.path("status").asText()).isEqualTo("success");
        assertThat(revenue.path("last_run").asText()).isEqualTo("2026-11-22T06:00:00Z");
        assertThat(revenue.path("row_count").asLong()).isEqualTo(42);
        assertThat(revenue.has("error")).isFalse();
        assertThat(customers.path("status").asText()).isEqualTo("error");
        assertThat(customers.path("error").asText())
                .isEqualTo("Catalog Error: Table x does not exist");
    }

    @Test
    void runTransitionsOfAModelBecomeDbtEventsWithEventAndTypeKeys() throws Exception {
        connectWebSocket();
        // Not a run: a status the operator writes for a model that never ran announces nothing.
        status("revenue", ModelStatus.Phase.NOT_RUN, null, null);

        status("revenue", ModelStatus.Phase.RUNNING, 11L, null);
        status("revenue", ModelStatus.Phase.SUCCESS, 11L, null);
        status("revenue", ModelStatus.Phase.RUNNING, 12L, null);
        status(
                "revenue",
                ModelStatus.Phase.ERROR,
                12L,
                "Parser Error: syntax error at end of input");

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 4);
        assertThat(received)
                .extracting(m -> m.path("event").asText())
                .containsExactly(
                        "dbt_run_started",
                        "dbt_run_completed",
                        "dbt_run_started",
                        "dbt_run_failed");
        assertThat(received)
                .allSatisfy(
                        m -> {
                            assertThat(m.path("type").asText()).isEqualTo(m.path("event").asText());
                            assertThat(m.path("model").asText()).isEqualTo("revenue");
                            assertThat(Instant.parse(m.path("timestamp").asText())).isNotNull();
                        });
        assertThat(received.get(3).path("error").asText())
                .isEqualTo("Parser Error: syntax error at end of input");
    }

    private void connectWebSocket() throws Exception {
        socket =
                PlatformFixtures.HTTP
                        .newWebSocketBuilder()
                        .buildAsync(
                                URI.create(cluster.server.baseUrl().replace("http", "ws") + "/ws"),
                                new WebSocket.Listener() {
                                    private final StringBuilder text = new StringBuilder();

                                    @Override
                                    public CompletionStage<?> onText(
                                            WebSocket ws, CharSequence data, boolean last) {
                                        text.append(data);
                                        if (last) {
                                            try {
                                                received.add(JSON.readTree(text.toString()));
                                            } catch (Exception e) {
                                                throw new IllegalStateException(e);
                                            }
                                            text.setLength(0);
                                        }
                                        ws.request(1);
                                        return null;
                                    }
                                })
                        .get();
    }

    private void model(String name) {
        Model m = new Model();
        m.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(ApiTestCluster.NS).build());
        m.setSpec(new ModelSpec());
        m.getSpec().sql = "select 1 as one";
        m.getSpec().destinationRef = ObjectRef.to("warehouse");
        cluster.client.resource(m).create();
    }

    private Model fetch(String name) {
        return cluster.client
                .resources(Model.class)
                .inNamespace(ApiTestCluster.NS)
                .withName(name)
                .get();
    }

    /** Writes status as the operator would. */
    private void status(String name, ModelStatus.Phase phase, Long runId, String error) {
        Model m = fetch(name);
        ModelStatus status = new ModelStatus();
        status.status = phase;
        status.lastRunId = runId;
        status.lastError = error;
        if (phase == ModelStatus.Phase.SUCCESS || phase == ModelStatus.Phase.ERROR) {
            status.lastRun = "2026-11-22T06:00:00Z";
            status.rowCount = 42L;
        }
        m.setStatus(status);
        cluster.client.resource(m).updateStatus();
    }
}
