package dev.millrace.api.watcher;

import static dev.millrace.api.watcher.WatcherApiFixture.assertError;
import static dev.millrace.api.watcher.WatcherApiFixture.assertInvalid;
import static dev.millrace.api.watcher.WatcherApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.anomalyrule.AnomalyRuleSpec;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomalyRulesApiTest {
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

    private String rule(String metric) {
        return "{\"pipeline_id\": "
                + pipelineId
                + ", \"metric_field\": \""
                + metric
                + "\","
                + " \"z_threshold\": 2.0, \"lookback_days\": 30, \"minimum_executions\": 30,"
                + " \"active\": true}";
    }

    @Test
    void theReferenceExampleCreatesAnAnomalyRuleResourceUpsertedByPipelineAndMetric()
            throws Exception {
        HttpResponse<String> created = api.post("/anomaly_detection_rule", rule("total_rows"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = json(created).path("id").asLong();

        AnomalyRule resource = api.ruleResource(id);
        assertThat(resource.getSpec().pipelineRef.name)
                .isEqualTo(api.pipelineResource(pipelineId).getMetadata().getName());
        assertThat(resource.getSpec().metricField).isEqualTo(AnomalyRuleSpec.Metric.TOTAL_ROWS);
        assertThat(resource.getSpec().zThreshold).isEqualTo(2.0);
        assertThat(resource.getStatus().id).isEqualTo(id);

        assertThat(api.created("/anomaly_detection_rule", rule(" Total_Rows "), 200)).isEqualTo(id);
        long second =
                api.created(
                        "/anomaly_detection_rule",
                        "{\"pipeline_id\": "
                                + pipelineId
                                + ", \"metric_field\":"
                                + " \"duration_seconds\"}",
                        201);

        JsonNode list = json(api.get("/anomaly_detection_rule"));
        assertThat(list).hasSize(2);
        JsonNode defaults = list.get(1);
        assertThat(defaults.path("id").asLong()).isEqualTo(second);
        assertThat(defaults.path("pipeline_id").asLong()).isEqualTo(pipelineId);
        assertThat(defaults.path("metric_field").asText()).isEqualTo("duration_seconds");
        assertThat(defaults.path("z_threshold").asDouble()).isEqualTo(3.0);
        assertThat(defaults.path("lookback_days").asInt()).isEqualTo(30);
        assertThat(defaults.path("minimum_executions").asInt()).isEqualTo(30);
        assertThat(defaults.path("active").asBoolean()).isTrue();
        assertThat(json(api.get("/anomaly_detection_rule/" + id))).isEqualTo(list.get(0));
        assertError(api.get("/anomaly_detection_rule/999"), 404);
    }

    @Test
    void patchChangesTheRuleAndRefusesADuplicateOfAnotherRule() throws Exception {
        long id = api.created("/anomaly_detection_rule", rule("total_rows"), 201);
        api.created("/anomaly_detection_rule", rule("inserts"), 201);

        HttpResponse<String> patched =
                api.patch(
                        "/anomaly_detection_rule",
                        "{\"id\": "
                                + id
                                + ", \"pipeline_id\": "
                                + pipelineId
                                + ","
                                + " \"metric_field\": \"updates\", \"z_threshold\": 2.5,"
                                + " \"lookback_days\": 30, \"minimum_executions\": 20,"
                                + " \"active\": true}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        JsonNode body = json(patched);
        assertThat(body.path("metric_field").asText()).isEqualTo("updates");
        assertThat(body.path("z_threshold").asDouble()).isEqualTo(2.5);
        assertThat(body.path("minimum_executions").asInt()).isEqualTo(20);
        assertThat(body.path("updated_at").isNull()).isFalse();
        assertThat(api.ruleResource(id).getSpec().metricField)
                .isEqualTo(AnomalyRuleSpec.Metric.UPDATES);

        assertError(
                api.patch(
                        "/anomaly_detection_rule",
                        "{\"id\": " + id + ", \"metric_field\": \"inserts\"}"),
                400);
        assertError(api.patch("/anomaly_detection_rule", "{\"id\": 999}"), 404);
        assertError(
                api.patch("/anomaly_detection_rule", "{\"id\": " + id + ", \"pipeline_id\": 999}"),
                404);
        assertThat(api.ruleResource(id).getSpec().metricField)
                .isEqualTo(AnomalyRuleSpec.Metric.UPDATES);
    }

    @Test
    void everyRangeOfARuleIsValidatedAndNothingIsCreated() throws Exception {
        String p = "{\"pipeline_id\": " + pipelineId + ", \"metric_field\": \"total_rows\", ";
        assertInvalid(
                api.post("/anomaly_detection_rule", p + "\"z_threshold\": 0.99}"), "z_threshold");
        assertInvalid(
                api.post("/anomaly_detection_rule", p + "\"z_threshold\": 10.5}"), "z_threshold");
        assertInvalid(
                api.post("/anomaly_detection_rule", p + "\"lookback_days\": 0}"), "lookback_days");
        assertInvalid(
                api.post("/anomaly_detection_rule", p + "\"lookback_days\": 366}"),
                "lookback_days");
        assertInvalid(
                api.post("/anomaly_detection_rule", p + "\"minimum_executions\": 4}"),
                "minimum_executions");
        assertInvalid(
                api.post("/anomaly_detection_rule", p + "\"minimum_executions\": 1001}"),
                "minimum_executions");
        assertInvalid(
                api.post(
                        "/anomaly_detection_rule",
                        "{\"pipeline_id\": " + pipelineId + ", \"metric_field\": \"rows\"}"),
                "metric_field");
        assertInvalid(
                api.post("/anomaly_detection_rule", "{\"pipeline_id\": " + pipelineId + "}"),
                "metric_field");
        assertError(
                api.post(
                        "/anomaly_detection_rule",
                        "{\"pipeline_id\": 999, \"metric_field\": \"total_rows\"}"),
                404);
        assertThat(
                        cluster.client
                                .resources(AnomalyRule.class)
                                .inNamespace("default")
                                .list()
                                .getItems())
                .isEmpty();
        // The bounds themselves are in range.
        api.created(
                "/anomaly_detection_rule",
                p + "\"z_threshold\": 10, \"lookback_days\": 365, \"minimum_executions\": 5}",
                201);
    }

    @Test
    void anOutlierIsFlaggedWhenItEndsAndUnflaggingTakesItBackOnce() throws Exception {
        api.created(
                "/anomaly_detection_rule",
                "{\"pipeline_id\": "
                        + pipelineId
                        + ", \"metric_field\": \"total_rows\","
                        + " \"z_threshold\": 2, \"minimum_executions\": 5}",
                201);
        Instant day = Instant.parse("2024-03-01T10:00:00Z");
        long[] rows = {100, 104, 98, 101, 97};
        for (int i = 0; i < rows.length; i++) {
            Instant start = day.plusSeconds(86_400L * i);
            api.end(api.start(pipelineId, start), start.plusSeconds(300), rows[i]);
        }
        Instant start = day.plusSeconds(86_400L * rows.length);
        long outlier = api.start(pipelineId, start);
        api.end(outlier, start.plusSeconds(300), 10_000);

        JsonNode flagged = json(api.get("/pipeline_execution/" + outlier));
        assertThat(flagged.path("anomaly_flags").path("total_rows").asBoolean()).isTrue();
        assertThat(cluster.store.anomalies().resultsOf(outlier)).hasSize(1);

        String unflag =
                "{\"pipeline_id\": "
                        + pipelineId
                        + ", \"pipeline_execution_id\": "
                        + outlier
                        + ", \"metric_field\": [\"total_rows\", \"duration_seconds\"]}";
        HttpResponse<String> first = api.post("/unflag_anomaly", unflag);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(204);
        assertThat(cluster.store.anomalies().resultsOf(outlier)).isEmpty();
        assertThat(json(api.get("/pipeline_execution/" + outlier)).path("anomaly_flags").isNull())
                .isTrue();
        assertError(api.post("/unflag_anomaly", unflag), 404);

        assertError(
                api.post(
                        "/unflag_anomaly",
                        "{\"pipeline_id\": 999, \"pipeline_execution_id\": "
                                + outlier
                                + ", \"metric_field\": [\"total_rows\"]}"),
                404);
        assertInvalid(
                api.post(
                        "/unflag_anomaly",
                        "{\"pipeline_id\": "
                                + pipelineId
                                + ", \"pipeline_execution_id\": "
                                + outlier
                                + ", \"metric_field\": [\"nonsense\"]}"),
                "metric_field");
        assertInvalid(
                api.post(
                        "/unflag_anomaly",
                        "{\"pipeline_id\": "
                                + pipelineId
                                + ", \"pipeline_execution_id\": "
                                + outlier
                                + "}"),
                "metric_field");
    }
}
