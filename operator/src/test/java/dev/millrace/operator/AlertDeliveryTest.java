package dev.millrace.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.anomalyrule.AnomalyRuleSpec;
import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.common.DatePart;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.common.Threshold;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.crds.pipeline.PipelineSpec;
import dev.millrace.crds.pipelinetype.PipelineType;
import dev.millrace.crds.pipelinetype.PipelineTypeSpec;
import dev.millrace.operator.alert.AlertReceiver;
import dev.millrace.operator.alert.AlertSettings;
import dev.millrace.store.alert.DeliveryStatus;
import dev.millrace.store.alert.OutboxEntry;
import dev.millrace.store.execution.ExecutionEnd;
import dev.millrace.store.execution.ExecutionStart;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts from a running control plane to a webhook receiver on loopback: the reconcilers enqueue
 * what they find, the operator's sender delivers, each occurrence once.
 */
class AlertDeliveryTest {
    private static final String NS = OperatorHarness.NS;
    private static final String HEADER = "order_id,customer,amount\n";
    private static final String CONNECTION = "orders-to-warehouse";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    private OperatorHarness cluster;
    private AlertReceiver receiver;
    private MillraceOperator operator;

    /** The control plane, with a sender that polls every 100 ms and waits {@code timeout}. */
    private void start(Duration timeout, Integer... answers) throws Exception {
        receiver = AlertReceiver.start(answers);
        cluster = new OperatorHarness(tmp);
        cluster.alerts =
                new AlertSettings(
                        Duration.ofMillis(100),
                        timeout,
                        3,
                        Duration.ofMillis(200),
                        Duration.ofSeconds(1));
        cluster.startRunner();
        cluster.startGarbageCollector();
        operator = cluster.startOperator(new OperationsSettings(null, "127.0.0.1:0"));
        cluster.client
                .resource(
                        AlertReceiver.secret(
                                NS,
                                Map.of("type", "webhook", "url", receiver.url("/hooks/millrace"))))
                .create();
        cluster.csvFolder("orders", Map.of("a.csv", HEADER + "1,ada,10.5\n2,bob,20\n"));
        cluster.csvSource("orders", "orders");
        cluster.warehouse("warehouse");
    }

    @AfterEach
    void stop() throws Exception {
        // The receiver first: it releases a request it holds, so the sender stops at once.
        if (receiver != null) {
            receiver.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aFailedSyncIsAlertedOnceEvenWhenReconciledRepeatedly() throws Exception {
        start(Duration.ofSeconds(5));
        cluster.connection(CONNECTION, "orders", "warehouse", Schedule.manual());
        cluster.requestSync(CONNECTION, "one");
        cluster.awaitLastJob(CONNECTION, "succeeded");
        Files.delete(cluster.dataRoot.resolve("orders/a.csv"));

        cluster.requestSync(CONNECTION, "two");
        Connection failed = cluster.awaitLastJob(CONNECTION, "failed");
        long jobId = failed.getStatus().lastJob.id;
        String key = "sync_failed:" + NS + "/" + CONNECTION + ":" + jobId;
        awaitStatus(key, DeliveryStatus.SENT);

        // More reconciles of the same Connection: label changes, then a whole successful sync.
        for (int i = 0; i < 3; i++) {
            cluster.client
                    .resources(Connection.class)
                    .inNamespace(NS)
                    .withName(CONNECTION)
                    .patch(
                            PatchContext.of(PatchType.JSON),
                            "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"poke\":\""
                                    + i
                                    + "\"}}]");
        }
        Files.writeString(cluster.dataRoot.resolve("orders/a.csv"), HEADER + "3,cy,1\n");
        cluster.requestSync(CONNECTION, "three");
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () -> cluster.connection(CONNECTION),
                        c ->
                                c.getStatus().lastJob.id != jobId
                                        && "succeeded".equals(c.getStatus().lastJob.status));

        assertThat(receiver.requests()).hasSize(1);
        assertThat(cluster.store.alerts().inNamespace(NS))
                .extracting(e -> e.alert().occurrenceKey())
                .containsExactly(key);
        JsonNode body = JSON.readTree(receiver.requests().get(0).body());
        assertThat(body.get("event").asText()).isEqualTo("sync_failed");
        assertThat(body.get("namespace").asText()).isEqualTo(NS);
        assertThat(body.get("kind").asText()).isEqualTo("Connection");
        assertThat(body.get("name").asText()).isEqualTo(CONNECTION);
        assertThat(body.get("message").asText())
                .isEqualTo(
                        "Sync job "
                                + jobId
                                + " of "
                                + CONNECTION
                                + " failed: "
                                + failed.getStatus().lastJob.error);
        assertThat(body.get("details").get("jobId").asLong()).isEqualTo(jobId);
        assertThat(body.get("details").get("jobName").asText())
                .isEqualTo(failed.getStatus().lastJob.name);
        assertThat(Instant.parse(body.get("occurredAt").asText())).isNotNull();
    }

    @Test
    void aReceiverThatHangsDoesNotDelaySyncs() throws Exception {
        start(Duration.ofMinutes(5), AlertReceiver.HANG);
        cluster.connection(CONNECTION, "orders", "warehouse", Schedule.manual());
        cluster.requestSync(CONNECTION, "one");
        cluster.awaitLastJob(CONNECTION, "succeeded");
        Files.delete(cluster.dataRoot.resolve("orders/a.csv"));
        cluster.requestSync(CONNECTION, "two");
        long failedJob = cluster.awaitLastJob(CONNECTION, "failed").getStatus().lastJob.id;
        await().atMost(OperatorHarness.WAIT).until(() -> receiver.hanging() == 1);

        Files.writeString(cluster.dataRoot.resolve("orders/a.csv"), HEADER + "3,cy,1\n");
        cluster.requestSync(CONNECTION, "three");
        Connection synced =
                await().atMost(Duration.ofMinutes(2))
                        .until(
                                () -> cluster.connection(CONNECTION),
                                c ->
                                        c.getStatus().lastJob.id != failedJob
                                                && "succeeded"
                                                        .equals(c.getStatus().lastJob.status));

        // Synced and recorded while the alert's delivery is still stuck in its first attempt.
        assertThat(cluster.warehouseCount("select count(*) from raw_orders.orders")).isEqualTo(1);
        assertThat(cluster.store.findJob(synced.getStatus().lastJob.id).orElseThrow().endedAt())
                .isNotNull();
        assertThat(receiver.hanging()).isEqualTo(1);
        OutboxEntry stuck =
                cluster.store
                        .alerts()
                        .find("sync_failed:" + NS + "/" + CONNECTION + ":" + failedJob)
                        .orElseThrow();
        assertThat(stuck.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(stuck.attempts()).isZero();
    }

    @Test
    void aStalePipelineAndALateExecutionAreEachAlertedOnce() throws Exception {
        start(Duration.ofSeconds(5));
        PipelineType type = new PipelineType();
        type.setMetadata(new ObjectMetaBuilder().withName("batch").withNamespace(NS).build());
        type.setSpec(new PipelineTypeSpec());
        type.getSpec().displayName = "batch";
        type.getSpec().freshness = threshold(1, DatePart.HOUR);
        cluster.client.resource(type).create();
        Pipeline pipeline = new Pipeline();
        pipeline.setMetadata(new ObjectMetaBuilder().withName("nightly").withNamespace(NS).build());
        pipeline.setSpec(new PipelineSpec());
        pipeline.getSpec().displayName = "nightly";
        pipeline.getSpec().pipelineTypeRef = ObjectRef.to("batch");
        cluster.client.resource(pipeline).create();
        long pipelineId =
                await().atMost(OperatorHarness.WAIT)
                        .until(
                                () -> pipeline("nightly"),
                                p -> p.getStatus() != null && p.getStatus().id != null)
                        .getStatus()
                        .id;

        Instant now = Instant.now();
        Instant loaded = now.minus(Duration.ofHours(3));
        long done =
                cluster.store
                        .executions()
                        .start(ExecutionStart.of(pipelineId, loaded.minusSeconds(60)));
        cluster.store.executions().end(ExecutionEnd.succeeded(done, loaded, 10, 10, 0, 0));
        long stuck =
                cluster.store
                        .executions()
                        .start(ExecutionStart.of(pipelineId, now.minus(Duration.ofMinutes(30))));

        // Timeliness is set only now: a check while the first execution was still open would
        // rightly have found it late too.
        cluster.client
                .resources(Pipeline.class)
                .inNamespace(NS)
                .withName("nightly")
                .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"add\",\"path\":\"/spec/timeliness\",\"value\":"
                                + "{\"number\":10,\"datepart\":\"minute\"}}]");
        String stale =
                "freshness:"
                        + pipelineId
                        + ":"
                        + loaded.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        String late = "timeliness:" + stuck;
        requestCheck("nightly", "check-1");
        await().atMost(OperatorHarness.WAIT).until(() -> !checkRequested("nightly"));
        awaitStatus(stale, DeliveryStatus.SENT);
        awaitStatus(late, DeliveryStatus.SENT);
        requestCheck("nightly", "check-2");
        await().atMost(OperatorHarness.WAIT).until(() -> !checkRequested("nightly"));

        assertThat(Conditions.isTrue(pipeline("nightly").getStatus().conditions, "Fresh"))
                .isFalse();
        assertThat(receiver.requests()).hasSize(2);
        List<JsonNode> bodies = receiver.requests().stream().map(r -> json(r.body())).toList();
        JsonNode freshness =
                bodies.stream()
                        .filter(b -> b.get("event").asText().equals("freshness_breach"))
                        .findFirst()
                        .orElseThrow();
        assertThat(freshness.get("kind").asText()).isEqualTo("Pipeline");
        assertThat(freshness.get("name").asText()).isEqualTo("nightly");
        assertThat(freshness.get("message").asText()).startsWith("Pipeline nightly is stale:");
        assertThat(Instant.parse(freshness.get("details").get("lastDml").asText()))
                .isEqualTo(loaded.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        JsonNode timeliness =
                bodies.stream()
                        .filter(b -> b.get("event").asText().equals("timeliness_breach"))
                        .findFirst()
                        .orElseThrow();
        assertThat(timeliness.get("details").get("executionId").asLong()).isEqualTo(stuck);
        assertThat(timeliness.get("message").asText())
                .contains("execution " + stuck + " is still running past 10 minute");
    }

    @Test
    void anAnomalousSyncIsAlertedWithItsFiguresAndCounted() throws Exception {
        start(Duration.ofSeconds(5));
        cluster.connection(CONNECTION, "orders", "warehouse", Schedule.manual());
        long pipelineId =
                await().atMost(OperatorHarness.WAIT)
                        .until(
                                () -> pipeline(CONNECTION),
                                p -> p != null && p.getStatus() != null && p.getStatus().id != null)
                        .getStatus()
                        .id;
        AnomalyRule rule = new AnomalyRule();
        rule.setMetadata(new ObjectMetaBuilder().withName("rows").withNamespace(NS).build());
        rule.setSpec(new AnomalyRuleSpec());
        rule.getSpec().pipelineRef = ObjectRef.to(CONNECTION);
        rule.getSpec().metricField = AnomalyRuleSpec.Metric.TOTAL_ROWS;
        rule.getSpec().minimumExecutions = 10;
        cluster.client.resource(rule).create();
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () -> anomalyRule("rows"),
                        r ->
                                r.getStatus() != null
                                        && Conditions.isTrue(
                                                r.getStatus().conditions, Conditions.READY));
        // Injected history: twenty days of about a thousand rows at this hour (and the next, in
        // case the sync starts after the hour turns). The real sync then writes 2 rows.
        Instant now = Instant.now();
        for (int day = 1; day <= 20; day++) {
            for (int hourOffset = 0; hourOffset <= 1; hourOffset++) {
                Instant start = now.minus(Duration.ofDays(day)).plus(Duration.ofHours(hourOffset));
                long id = cluster.store.executions().start(ExecutionStart.of(pipelineId, start));
                long rows = 980 + (day * 7) % 40;
                cluster.store
                        .executions()
                        .end(ExecutionEnd.succeeded(id, start.plusSeconds(30), rows, rows, 0, 0));
            }
        }

        cluster.requestSync(CONNECTION, "one");
        long jobId = cluster.awaitLastJob(CONNECTION, "succeeded").getStatus().lastJob.id;
        long executionId = cluster.store.executions().findByJob(jobId).orElseThrow().id();
        long ruleId = anomalyRule("rows").getStatus().id;
        awaitStatus("anomaly:" + ruleId + ":" + executionId, DeliveryStatus.SENT);

        JsonNode body = json(receiver.requests().get(0).body());
        assertThat(receiver.requests()).hasSize(1);
        assertThat(body.get("event").asText()).isEqualTo("anomaly");
        assertThat(body.get("kind").asText()).isEqualTo("Pipeline");
        assertThat(body.get("name").asText()).isEqualTo(CONNECTION);
        assertThat(body.get("details").get("rule").asText()).isEqualTo("rows");
        assertThat(body.get("details").get("metric").asText()).isEqualTo("total_rows");
        assertThat(body.get("details").get("value").asDouble()).isEqualTo(2.0);
        assertThat(body.get("details").get("baselineSize").asLong()).isEqualTo(20);
        String scrape = OperatorHttp.get(operator, "/metrics").body();
        assertThat(OperatorHttp.sample(scrape, "millrace_anomalies_flagged_total")).isEqualTo(1.0);
        assertThat(scrape).contains("millrace_alerts_sent_total{outcome=\"sent\"} 1.0");
    }

    // ---- helpers ---------------------------------------------------------------------------

    private OutboxEntry awaitStatus(String key, DeliveryStatus status) {
        return await().atMost(OperatorHarness.WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> cluster.store.alerts().find(key),
                        e -> e.isPresent() && e.get().status() == status)
                .orElseThrow();
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Threshold threshold(int number, DatePart part) {
        Threshold t = new Threshold();
        t.number = number;
        t.datepart = part;
        return t;
    }

    private Pipeline pipeline(String name) {
        return cluster.client.resources(Pipeline.class).inNamespace(NS).withName(name).get();
    }

    private AnomalyRule anomalyRule(String name) {
        return cluster.client.resources(AnomalyRule.class).inNamespace(NS).withName(name).get();
    }

    private boolean checkRequested(String pipeline) {
        Map<String, String> annotations = pipeline(pipeline).getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(MillraceApi.CHECK_ANNOTATION);
    }

    private void requestCheck(String pipeline, String requestId) {
        String add =
                "{\"op\":\"add\",\"path\":\"/metadata/annotations/millrace.dev~1check\",\"value\":\""
                        + requestId
                        + "\"}";
        String ops =
                pipeline(pipeline).getMetadata().getAnnotations() == null
                        ? "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{}},"
                                + add
                                + "]"
                        : "[" + add + "]";
        cluster.client
                .resources(Pipeline.class)
                .inNamespace(NS)
                .withName(pipeline)
                .patch(PatchContext.of(PatchType.JSON), ops);
    }
}
