package dev.millrace.api.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.pipeline.Pipeline;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Requests to the monitoring family of an {@link ApiTestCluster}, and what they left behind. */
final class WatcherApiFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NS = ApiTestCluster.NS;

    /** The reference's create-pipeline example. */
    static final String PIPELINE =
            """
            { "name": "my data pipeline", "pipeline_type_name": "extraction",
              "next_watermark": "2024-01-02T00:00:00Z",
              "pipeline_metadata": { "description": "Daily data extraction pipeline" },
              "freshness_number": 24, "freshness_datepart": "hour",
              "timeliness_number": 2, "timeliness_datepart": "hour" }\
            """;

    final ApiTestCluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();

    WatcherApiFixture(ApiTestCluster cluster) {
        this.cluster = cluster;
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(cluster.server.baseUrl() + path))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body);
    }

    HttpResponse<String> patch(String path, String body) throws Exception {
        return send("PATCH", path, body);
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** Asserts the status and a {@code {"detail": …}} body. */
    static JsonNode assertError(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.has("detail")).as(response.body()).isTrue();
        return body.get("detail");
    }

    /** Asserts a 422 naming {@code field}. */
    static void assertInvalid(HttpResponse<String> response, String field) throws Exception {
        JsonNode detail = assertError(response, 422);
        assertThat(detail.isArray()).as(response.body()).isTrue();
        assertThat(detail.get(0).path("loc").toString()).as(response.body()).contains(field);
        assertThat(detail.get(0).path("msg").asText()).isNotBlank();
    }

    /** POSTs and asserts the status; returns the body's id. */
    long created(String path, String body, int status) throws Exception {
        HttpResponse<String> response = post(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json(response).path("id").asLong();
    }

    long pipeline(String name) throws Exception {
        return created(
                "/pipeline",
                "{\"name\": \"" + name + "\", \"pipeline_type_name\": \"extraction\"}",
                201);
    }

    long start(long pipelineId, Instant start) throws Exception {
        return created(
                "/start_pipeline_execution",
                "{\"pipeline_id\": " + pipelineId + ", \"start_date\": \"" + start + "\"}",
                201);
    }

    void end(long executionId, Instant end, long totalRows) throws Exception {
        HttpResponse<String> response =
                post(
                        "/end_pipeline_execution",
                        "{\"id\": "
                                + executionId
                                + ", \"end_date\": \""
                                + end
                                + "\", \"completed_successfully\": true, \"total_rows\": "
                                + totalRows
                                + ", \"inserts\": "
                                + totalRows
                                + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    /** The Pipeline behind {@code id}, read from the Kubernetes API. */
    Pipeline pipelineResource(long id) {
        var ref = cluster.store.findById("Pipeline", id).orElseThrow();
        return cluster.client.resources(Pipeline.class).inNamespace(NS).withName(ref.name()).get();
    }

    AnomalyRule ruleResource(long id) {
        var ref = cluster.store.findById("AnomalyRule", id).orElseThrow();
        return cluster.client
                .resources(AnomalyRule.class)
                .inNamespace(NS)
                .withName(ref.name())
                .get();
    }

    /** Polls {@code condition} until it holds or ten seconds pass. */
    static void eventually(String what, BooleanSupplier condition) {
        org.awaitility.Awaitility.await(what)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }
}
