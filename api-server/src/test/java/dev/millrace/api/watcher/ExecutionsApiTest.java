package dev.millrace.api.watcher;

import static dev.millrace.api.watcher.WatcherApiFixture.assertError;
import static dev.millrace.api.watcher.WatcherApiFixture.assertInvalid;
import static dev.millrace.api.watcher.WatcherApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.store.execution.ExecutionStatus;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutionsApiTest {
    @TempDir Path tmp;
    ApiTestCluster cluster;
    WatcherApiFixture api;
    long pipelineId;

    @BeforeEach
    void start() throws Exception {
        cluster = new ApiTestCluster(tmp);
        api = new WatcherApiFixture(cluster);
        pipelineId = api.created("/pipeline", WatcherApiFixture.PIPELINE, 201);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void theReferenceExampleStartsAndEndsAnExecutionWithComputedDurationAndThroughput()
            throws Exception {
        HttpResponse<String> started =
                api.post(
                        "/start_pipeline_execution",
                        "{\"pipeline_id\": "
                                + pipelineId
                                + ", \"start_date\":"
                                + " \"2024-01-01T10:00:00Z\", \"watermark\":"
                                + " \"2024-01-01T00:00:00Z\", \"next_watermark\":"
                                + " \"2024-01-01T23:59:59Z\", \"parent_id\": null}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        long id = json(started).path("id").asLong();
        long child =
                api.created(
                        "/start_pipeline_execution",
                        "{\"pipeline_id\": "
                                + pipelineId
                                + ", \"start_date\":"
                                + " \"2024-01-01T10:01:00Z\", \"parent_id\": "
                                + id
                                + "}",
                        201);
        long grandchild =
                api.created(
                        "/start_pipeline_execution",
                        "{\"pipeline_id\": "
                                + pipelineId
                                + ", \"start_date\":"
                                + " \"2024-01-01T10:02:00Z\", \"parent_id\": "
                                + child
                                + "}",
                        201);

        HttpResponse<String> ended =
                api.post(
                        "/end_pipeline_execution",
                        "{\"id\": "
                                + id
                                + ", \"end_date\": \"2024-01-01T10:05:00Z\","
                                + " \"completed_successfully\": true, \"total_rows\": 1000,"
                                + " \"inserts\": 800, \"updates\": 200, \"soft_deletes\": 0,"
                                + " \"execution_metadata\": {\"partition\": \"2025-01-05\"}}");
        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(204);
        assertThat(ended.body()).isEmpty();

        JsonNode execution = json(api.get("/pipeline_execution/" + id));
        assertThat(execution.path("id").asLong()).isEqualTo(id);
        assertThat(execution.path("parent_id").isNull()).isTrue();
        assertThat(execution.path("pipeline_id").asLong()).isEqualTo(pipelineId);
        assertThat(execution.path("start_date").asText()).isEqualTo("2024-01-01T10:00:00Z");
        assertThat(execution.path("end_date").asText()).isEqualTo("2024-01-01T10:05:00Z");
        assertThat(execution.path("duration_seconds").asLong()).isEqualTo(300);
        assertThat(execution.path("throughput").asDouble()).isEqualTo(3.33);
        assertThat(execution.path("completed_successfully").asBoolean()).isTrue();
        assertThat(execution.path("inserts").asLong()).isEqualTo(800);
        assertThat(execution.path("updates").asLong()).isEqualTo(200);
        assertThat(execution.path("total_rows").asLong()).isEqualTo(1000);
        assertThat(execution.path("watermark").asText()).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(execution.path("next_watermark").asText()).isEqualTo("2024-01-01T23:59:59Z");
        assertThat(execution.path("execution_metadata").path("partition").asText())
                .isEqualTo("2025-01-05");
        assertThat(execution.path("anomaly_flags").isNull()).isTrue();
        // Children one level deep: the grandchild is the child's, not listed here.
        assertThat(execution.path("child_executions")).hasSize(1);
        JsonNode first = execution.path("child_executions").get(0);
        assertThat(first.path("id").asLong()).isEqualTo(child);
        assertThat(first.path("parent_id").asLong()).isEqualTo(id);
        assertThat(first.path("end_date").isNull()).isTrue();
        assertThat(first.path("completed_successfully").isNull()).isTrue();
        assertThat(json(api.get("/pipeline_execution/" + child)).path("child_executions"))
                .singleElement()
                .satisfies(g -> assertThat(g.path("id").asLong()).isEqualTo(grandchild));

        assertThat(cluster.store.executions().find(id).orElseThrow().status())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(cluster.store.executions().dmlTimes(pipelineId).orElseThrow().lastTargetInsert())
                .isEqualTo(Instant.parse("2024-01-01T10:05:00Z"));
        assertThat(json(api.get("/pipeline/" + pipelineId)).path("last_target_update").asText())
                .isEqualTo("2024-01-01T10:05:00Z");
    }

    @Test
    void aSuccessfulEndMovesTheWatermarkAndTurnsLineageLoadingOff() throws Exception {
        assertThat(api.pipelineResource(pipelineId).getSpec().loadLineage).isTrue();
        long id = api.start(pipelineId, Instant.parse("2024-01-02T01:00:00Z"));
        // Unsent watermarks are the pipeline's own.
        assertThat(cluster.store.executions().find(id).orElseThrow().nextWatermark())
                .isEqualTo("2024-01-02T00:00:00Z");

        api.end(id, Instant.parse("2024-01-02T01:10:00Z"), 5);

        var pipeline = api.pipelineResource(pipelineId);
        assertThat(pipeline.getStatus().watermark).isEqualTo("2024-01-02T00:00:00Z");
        assertThat(pipeline.getSpec().loadLineage).isFalse();
        JsonNode view = json(api.get("/pipeline/" + pipelineId));
        assertThat(view.path("watermark").asText()).isEqualTo("2024-01-02T00:00:00Z");
        assertThat(view.path("load_lineage").asBoolean()).isFalse();
    }

    @Test
    void aFailedEndKeepsTheWatermarkAndAStartWithoutADateStartsNow() throws Exception {
        Instant before = Instant.now();
        long id =
                api.created(
                        "/start_pipeline_execution", "{\"pipeline_id\": " + pipelineId + "}", 201);
        Instant start = cluster.store.executions().find(id).orElseThrow().start();
        assertThat(start).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));

        HttpResponse<String> ended =
                api.post(
                        "/end_pipeline_execution",
                        "{\"id\": "
                                + id
                                + ", \"end_date\": \""
                                + start.plus(Duration.ofMinutes(1))
                                + "\", \"completed_successfully\": false}");
        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(204);
        assertThat(cluster.store.executions().find(id).orElseThrow().status())
                .isEqualTo(ExecutionStatus.FAILED);
        assertThat(api.pipelineResource(pipelineId).getStatus().watermark).isNull();
        assertThat(api.pipelineResource(pipelineId).getSpec().loadLineage).isTrue();
    }

    @Test
    void badExecutionRequestsAreRefusedAndChangeNothing() throws Exception {
        long id = api.start(pipelineId, Instant.parse("2024-01-01T10:00:00Z"));

        assertThat(
                        assertError(
                                        api.post(
                                                "/end_pipeline_execution",
                                                "{\"id\": "
                                                        + id
                                                        + ", \"end_date\":"
                                                        + " \"2024-01-01T10:00:00Z\"}"),
                                        400)
                                .asText())
                .isEqualTo("end_date must be greater than start_date");
        assertError(
                api.post(
                        "/end_pipeline_execution",
                        "{\"id\": 999, \"end_date\": \"2024-01-01T10:05:00Z\"}"),
                404);
        assertInvalid(api.post("/end_pipeline_execution", "{\"id\": " + id + "}"), "end_date");
        assertInvalid(
                api.post(
                        "/end_pipeline_execution",
                        "{\"id\": " + id + ", \"end_date\": \"yesterday\"}"),
                "end_date");
        assertInvalid(
                api.post(
                        "/end_pipeline_execution",
                        "{\"id\": "
                                + id
                                + ", \"end_date\": \"2024-01-01T10:05:00Z\","
                                + " \"total_rows\": -1}"),
                "total_rows");
        assertThat(cluster.store.executions().find(id).orElseThrow().status())
                .isEqualTo(ExecutionStatus.RUNNING);

        api.end(id, Instant.parse("2024-01-01T10:05:00Z"), 10);
        assertError(
                api.post(
                        "/end_pipeline_execution",
                        "{\"id\": " + id + ", \"end_date\": \"2024-01-01T10:06:00Z\"}"),
                409);
        assertThat(cluster.store.executions().find(id).orElseThrow().end())
                .isEqualTo(Instant.parse("2024-01-01T10:05:00Z"));

        assertError(api.post("/start_pipeline_execution", "{\"pipeline_id\": 999}"), 404);
        assertError(
                api.post(
                        "/start_pipeline_execution",
                        "{\"pipeline_id\": " + pipelineId + ", \"parent_id\": 999}"),
                404);
        assertInvalid(api.post("/start_pipeline_execution", "{}"), "pipeline_id");
        assertInvalid(
                api.post(
                        "/start_pipeline_execution",
                        "{\"pipeline_id\": "
                                + pipelineId
                                + ", \"watermark\": \""
                                + "w".repeat(51)
                                + "\"}"),
                "watermark");
        assertInvalid(
                api.post("/start_pipeline_execution", "{\"pipeline_id\": \"one\"}"), "pipeline_id");
        assertThat(cluster.store.executions().countOfPipeline(pipelineId)).isEqualTo(1);

        assertError(api.get("/pipeline_execution/999"), 404);
        assertInvalid(api.get("/pipeline_execution/x"), "pipeline_execution_id");
    }
}
