package dev.millrace.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.anomalyrule.AnomalyRuleSpec;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionStatus;
import dev.millrace.crds.connection.ConnectionStream;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.crds.connection.ScheduleType;
import dev.millrace.crds.connection.SyncMode;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.crds.pipeline.PipelineSpec;
import dev.millrace.store.anomaly.Evaluation;
import dev.millrace.store.execution.ExecutionEnd;
import dev.millrace.store.execution.ExecutionStart;
import dev.millrace.store.execution.Metric;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read endpoints the web UI adds to the platform family, and the unflag action. */
class PipelinesAndConnectionsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    private ApiTestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new ApiTestCluster(tmp);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private Pipeline pipeline(String name) {
        Pipeline p = new Pipeline();
        p.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(ApiTestCluster.NS).build());
        p.setSpec(new PipelineSpec());
        p.getSpec().displayName = "Orders load";
        p.getSpec().pipelineTypeRef = ObjectRef.to("sync");
        p.getSpec().connectionRef = ObjectRef.to("orders-to-warehouse");
        return cluster.cached(cluster.client.resource(p).create());
    }

    private AnomalyRule rowsRule(String pipeline) {
        AnomalyRule r = new AnomalyRule();
        r.setMetadata(
                new ObjectMetaBuilder()
                        .withName(pipeline + "-rows")
                        .withNamespace(ApiTestCluster.NS)
                        .build());
        r.setSpec(new AnomalyRuleSpec());
        r.getSpec().pipelineRef = ObjectRef.to(pipeline);
        r.getSpec().metricField = AnomalyRuleSpec.Metric.TOTAL_ROWS;
        r.getSpec().minimumExecutions = 5;
        return cluster.cached(cluster.client.resource(r).create());
    }

    /**
     * Ten ordinary daily loads at one hour of the day, then one with fifty times the rows, judged
     * by a rows rule: the last one is recorded as an anomaly. Returns its execution id.
     */
    private long historyWithAnomaly(long pipelineId, AnomalyRule rule) {
        long ruleId =
                cluster.store.idFor(
                        "AnomalyRule",
                        ApiTestCluster.NS,
                        rule.getMetadata().getName(),
                        rule.getMetadata().getUid());
        Instant last = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);
        for (int day = 10; day >= 1; day--) {
            load(pipelineId, last.minus(Duration.ofDays(day)), 1000 + (day % 3) * 20L);
        }
        long anomalous = load(pipelineId, last, 50_000);
        var storeRule =
                new dev.millrace.store.anomaly.AnomalyRule(
                        ruleId, pipelineId, Metric.TOTAL_ROWS, 3, 30, 5);
        Evaluation evaluation = cluster.store.anomalies().evaluate(storeRule, anomalous);
        assertThat(evaluation.outcome()).isEqualTo(Evaluation.Outcome.ANOMALOUS);
        cluster.store.anomalies().record(evaluation, Instant.now());
        return anomalous;
    }

    private long load(long pipelineId, Instant start, long rows) {
        long id = cluster.store.executions().start(ExecutionStart.of(pipelineId, start));
        cluster.store
                .executions()
                .end(ExecutionEnd.succeeded(id, start.plusSeconds(42), rows, rows, 0, 0));
        return id;
    }

    @Test
    void pipelinesListTheirRulesAndExecutionHistoryMarksTheFlaggedExecution() throws Exception {
        Pipeline p = pipeline("orders-load");
        AnomalyRule rule = rowsRule("orders-load");
        long pipelineId =
                cluster.store.idFor(
                        "Pipeline", ApiTestCluster.NS, "orders-load", p.getMetadata().getUid());
        long anomalous = historyWithAnomaly(pipelineId, rule);

        JsonNode list = ok(cluster.get("/api/pipelines"));
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("display_name").asText()).isEqualTo("Orders load");
        assertThat(list.get(0).path("id").asLong()).isEqualTo(pipelineId);
        assertThat(list.get(0).path("connection").asText()).isEqualTo("orders-to-warehouse");
        assertThat(list.get(0).path("conditions").has("Fresh")).isTrue();
        JsonNode rules = list.get(0).path("anomaly_rules");
        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).path("metric").asText()).isEqualTo("total_rows");
        assertThat(rules.get(0).path("minimum_executions").asInt()).isEqualTo(5);

        JsonNode history = ok(cluster.get("/api/pipelines/orders-load/executions?limit=5"));
        assertThat(history).hasSize(5);
        JsonNode newest = history.get(0);
        assertThat(newest.path("id").asLong()).isEqualTo(anomalous);
        assertThat(newest.path("total_rows").asLong()).isEqualTo(50_000);
        assertThat(newest.path("duration_seconds").asLong()).isEqualTo(42);
        assertThat(newest.path("anomaly_flags").get(0).asText()).isEqualTo("total_rows");
        JsonNode anomaly = newest.path("anomalies").get(0);
        assertThat(anomaly.path("z_score").asDouble()).isGreaterThan(3);
        assertThat(anomaly.path("upper_bound").asDouble()).isLessThan(50_000);
        assertThat(history.get(1).path("anomaly_flags")).isEmpty();
    }

    @Test
    void unflaggingAnExecutionClearsItsAnomalyInTheStore() throws Exception {
        Pipeline p = pipeline("orders-load");
        long pipelineId =
                cluster.store.idFor(
                        "Pipeline", ApiTestCluster.NS, "orders-load", p.getMetadata().getUid());
        long anomalous = historyWithAnomaly(pipelineId, rowsRule("orders-load"));

        JsonNode body =
                ok(
                        cluster.post(
                                "/api/pipelines/orders-load/executions/" + anomalous + "/unflag",
                                "{\"metrics\": [\"total_rows\"]}"));

        assertThat(body.path("unflagged").asBoolean()).isTrue();
        assertThat(body.path("execution").path("anomaly_flags")).isEmpty();
        assertThat(cluster.store.executions().find(anomalous).orElseThrow().anomalyFlags())
                .isEmpty();
        assertThat(cluster.store.anomalies().resultsOf(anomalous)).isEmpty();
    }

    @Test
    void unflagRefusesAnExecutionOfAnotherPipelineAndUnknownMetrics() throws Exception {
        Pipeline a = pipeline("orders-load");
        pipeline("other-load");
        long pipelineId =
                cluster.store.idFor(
                        "Pipeline", ApiTestCluster.NS, "orders-load", a.getMetadata().getUid());
        long anomalous = historyWithAnomaly(pipelineId, rowsRule("orders-load"));

        HttpResponse<String> foreign =
                cluster.post("/api/pipelines/other-load/executions/" + anomalous + "/unflag", null);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(foreign.body()).path("detail").asText()).contains("not found");
        HttpResponse<String> badMetric =
                cluster.post(
                        "/api/pipelines/orders-load/executions/" + anomalous + "/unflag",
                        "{\"metrics\": [\"colour\"]}");
        assertThat(badMetric.statusCode()).isEqualTo(400);
        assertThat(cluster.get("/api/pipelines/nope/executions").statusCode()).isEqualTo(404);
        assertThat(cluster.store.executions().find(anomalous).orElseThrow().anomalyFlags())
                .containsExactly(Metric.TOTAL_ROWS);
    }

    @Test
    void connectionsShowScheduleNextRunStreamsAndTheLastJob() throws Exception {
        Connection c = PlatformFixtures.connection(cluster, "orders-to-warehouse", "orders");
        c.getSpec().schedule = new Schedule();
        c.getSpec().schedule.scheduleType = ScheduleType.BASIC;
        c.getSpec().schedule.basicTiming = "every_1_hours";
        ConnectionStream stream = new ConnectionStream();
        stream.name = "orders";
        stream.syncMode = SyncMode.INCREMENTAL_APPEND;
        c.getSpec().streams.add(stream);
        c = cluster.cached(cluster.client.resource(c).update());
        ConnectionStatus status = new ConnectionStatus();
        status.nextSyncAt = "2026-11-22T10:00:00Z";
        status.lastJob = new ConnectionStatus.JobSummary();
        status.lastJob.id = 7L;
        status.lastJob.status = "running";
        status.lastJob.progress = new ConnectionStatus.JobProgress();
        status.lastJob.progress.stream = "orders";
        status.lastJob.progress.rows = 1200L;
        c.setStatus(status);
        c = cluster.cached(cluster.client.resource(c).updateStatus());

        JsonNode view = ok(cluster.get("/api/connections")).get(0);

        assertThat(view.path("name").asText()).isEqualTo("orders-to-warehouse");
        assertThat(view.path("connection_id").asText()).isEqualTo(c.getMetadata().getUid());
        assertThat(view.path("source").asText()).isEqualTo("orders");
        assertThat(view.path("schedule").path("basicTiming").asText()).isEqualTo("every_1_hours");
        assertThat(view.path("next_sync_at").asText()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(view.path("streams").get(0).path("syncMode").asText())
                .isEqualTo("incremental_append");
        assertThat(view.path("last_job").path("progress").path("rows").asLong()).isEqualTo(1200);
    }
}
