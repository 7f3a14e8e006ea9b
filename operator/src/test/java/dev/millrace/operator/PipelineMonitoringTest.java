package dev.millrace.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import dev.millrace.crds.pipeline.PipelineStatus;
import dev.millrace.crds.pipelinetype.PipelineType;
import dev.millrace.crds.pipelinetype.PipelineTypeSpec;
import dev.millrace.operator.kube.StatusUpdates;
import dev.millrace.operator.pipeline.ExecutionRecorder;
import dev.millrace.store.execution.Execution;
import dev.millrace.store.execution.ExecutionEnd;
import dev.millrace.store.execution.ExecutionStart;
import dev.millrace.store.execution.ExecutionStatus;
import dev.millrace.store.execution.Metric;
import dev.millrace.store.job.JobQuery;
import dev.millrace.store.job.JobRecord;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineMonitoringTest {
    private static final String NS = OperatorHarness.NS;
    private static final String HEADER = "order_id,customer,amount\n";
    private static final String CONNECTION = "orders-to-warehouse";

    @TempDir Path tmp;
    private OperatorHarness cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = OperatorHarness.started(tmp);
        cluster.csvFolder(
                "orders",
                Map.of(
                        "a.csv", HEADER + "1,ada,10.5\n2,bob,20\n3,cy,7.25\n",
                        "b.csv", HEADER + "4,dee,1\n5,eve,2\n"));
        cluster.csvSource("orders", "orders");
        cluster.warehouse("warehouse");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aConnectionGetsItsOwnPipelineAndEverySyncJobBecomesAnExecutionWithItsCounts()
            throws Exception {
        Connection connection =
                cluster.connection(CONNECTION, "orders", "warehouse", Schedule.manual());

        Pipeline pipeline = awaitPipelineWithId(CONNECTION);
        assertThat(pipeline.getSpec().connectionRef.name).isEqualTo(CONNECTION);
        assertThat(pipeline.getSpec().pipelineTypeRef.name)
                .isEqualTo(ExecutionRecorder.SYNC_PIPELINE_TYPE);
        assertThat(pipeline.getSpec().displayName).isEqualTo(CONNECTION);
        assertThat(pipeline.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(
                        o -> assertThat(o.getUid()).isEqualTo(connection.getMetadata().getUid()));
        PipelineType syncType = pipelineType(ExecutionRecorder.SYNC_PIPELINE_TYPE);
        assertThat(syncType.getMetadata().getOwnerReferences()).isNullOrEmpty();
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                Conditions.isTrue(
                                        pipeline(CONNECTION).getStatus().conditions,
                                        Conditions.READY));

        // What a Watcher client would have set before the run: the next watermark and lineage.
        StatusUpdates.update(
                cluster.client,
                Pipeline.class,
                NS,
                CONNECTION,
                current -> {
                    PipelineStatus status =
                            Serialization.jsonMapper()
                                    .convertValue(current.getStatus(), PipelineStatus.class);
                    status.nextWatermark = "2026-01-02T00:00:00Z";
                    return status;
                });
        cluster.client
                .resources(Pipeline.class)
                .inNamespace(NS)
                .withName(CONNECTION)
                .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"replace\",\"path\":\"/spec/loadLineage\",\"value\":true}]");

        cluster.requestSync(CONNECTION, "req-1");
        long firstJob = cluster.awaitLastJob(CONNECTION, "succeeded").getStatus().lastJob.id;
        Files.writeString(cluster.dataRoot.resolve("orders/c.csv"), HEADER + "6,fay,3\n");
        cluster.requestSync(CONNECTION, "req-2");
        // The first job's "succeeded" is still there until the second one is picked up.
        Connection synced =
                await().atMost(OperatorHarness.WAIT)
                        .until(
                                () -> cluster.connection(CONNECTION),
                                c ->
                                        c.getStatus().lastJob != null
                                                && c.getStatus().lastJob.id != firstJob
                                                && "succeeded"
                                                        .equals(c.getStatus().lastJob.status));

        long pipelineId = pipeline.getStatus().id;
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                cluster.store.executions().ofPipeline(pipelineId, 10, 0).stream()
                                                .filter(
                                                        e ->
                                                                e.status()
                                                                        == ExecutionStatus
                                                                                .SUCCEEDED)
                                                .count()
                                        == 2);
        List<Execution> executions = cluster.store.executions().ofPipeline(pipelineId, 10, 0);
        List<JobRecord> jobs = cluster.store.jobs(JobQuery.all().forConnection(CONNECTION));
        assertThat(executions)
                .extracting(Execution::jobId)
                .containsExactlyInAnyOrderElementsOf(jobs.stream().map(JobRecord::id).toList());
        Execution first = executions.get(1);
        assertThat(first.totalRows()).isEqualTo(5);
        assertThat(first.inserts()).isEqualTo(5);
        assertThat(first.durationSeconds()).isNotNull();
        assertThat(first.throughput()).isPositive();
        Execution second = executions.get(0);
        assertThat(second.jobId()).isEqualTo(synced.getStatus().lastJob.id);
        assertThat(second.totalRows()).isEqualTo(synced.getStatus().lastJob.rowsSynced);
        assertThat(second.inserts()).isPositive();

        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                pipeline(CONNECTION).getStatus().lastExecution != null
                                        && Long.valueOf(second.id())
                                                .equals(
                                                        pipeline(CONNECTION)
                                                                .getStatus()
                                                                .lastExecution
                                                                .id));
        Pipeline after = pipeline(CONNECTION);
        assertThat(after.getStatus().watermark).isEqualTo("2026-01-02T00:00:00Z");
        assertThat(after.getStatus().lastTargetInsert).isNotNull();
        assertThat(Instant.parse(after.getStatus().lastTargetInsert))
                .isEqualTo(second.end().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(after.getStatus().lastExecution.status).isEqualTo("succeeded");
        assertThat(after.getSpec().loadLineage).isFalse();
        assertThat(Conditions.isTrue(after.getStatus().conditions, "AnomalyFree")).isTrue();
    }

    @Test
    void aRuleFlagsAnOutlierSyncAndThePipelineIsNoLongerAnomalyFree() {
        cluster.connection(CONNECTION, "orders", "warehouse", Schedule.manual());
        Pipeline pipeline = awaitPipelineWithId(CONNECTION);
        long pipelineId = pipeline.getStatus().id;
        AnomalyRule rule = new AnomalyRule();
        rule.setMetadata(new ObjectMetaBuilder().withName("rows").withNamespace(NS).build());
        rule.setSpec(new AnomalyRuleSpec());
        rule.getSpec().pipelineRef = ObjectRef.to(CONNECTION);
        rule.getSpec().metricField = AnomalyRuleSpec.Metric.TOTAL_ROWS;
        rule.getSpec().minimumExecutions = 10;
        cluster.client.resource(rule).create();
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                anomalyRule("rows").getStatus() != null
                                        && Conditions.isTrue(
                                                anomalyRule("rows").getStatus().conditions,
                                                Conditions.READY));

        // Twenty days of about a thousand rows at this hour of day (and the next, in case the
        // sync starts after the hour turns): the sync's 5 rows are far below that.
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

        cluster.requestSync(CONNECTION, "req-1");
        cluster.awaitLastJob(CONNECTION, "succeeded");

        await().atMost(OperatorHarness.WAIT)
                .until(() -> Long.valueOf(1).equals(anomalyRule("rows").getStatus().anomalyCount));
        AnomalyRule judged = anomalyRule("rows");
        assertThat(judged.getStatus().lastEvaluation.anomalous).isTrue();
        assertThat(judged.getStatus().lastEvaluation.value).isEqualTo(5.0);
        assertThat(judged.getStatus().lastEvaluation.baselineSize).isEqualTo(20);
        Execution sync =
                cluster.store
                        .executions()
                        .findByJob(cluster.connection(CONNECTION).getStatus().lastJob.id)
                        .orElseThrow();
        assertThat(judged.getStatus().lastEvaluation.executionId).isEqualTo(sync.id());
        assertThat(sync.anomalyFlags()).containsExactly(Metric.TOTAL_ROWS);
        assertThat(cluster.store.anomalies().resultsOf(sync.id())).hasSize(1);
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                Conditions.find(
                                                pipeline(CONNECTION).getStatus().conditions,
                                                "AnomalyFree")
                                        .map(
                                                c ->
                                                        Conditions.FALSE.equals(c.getStatus())
                                                                && "AnomalyDetected"
                                                                        .equals(c.getReason()))
                                        .orElse(false));
        await().atMost(OperatorHarness.WAIT)
                .until(() -> events(CONNECTION, "AnomalyDetected").size() == 1);
        assertThat(events(CONNECTION, "AnomalyDetected").get(0).getMessage())
                .contains("total_rows = 5.00");
    }

    @Test
    void aStalePipelineTurnsFreshFalseOnceWhenTheCheckAnnotationAsks() {
        pipelineTypeWith("batch", freshness(1, DatePart.HOUR), null);
        Pipeline pipeline = awaitPipelineWithId(createPipeline("nightly", "batch", null, null));
        long pipelineId = pipeline.getStatus().id;
        assertThat(Conditions.find(pipeline.getStatus().conditions, "Fresh"))
                .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo("NoChangesYet"));

        Instant loaded = Instant.now().minus(Duration.ofHours(3));
        long id =
                cluster.store
                        .executions()
                        .start(ExecutionStart.of(pipelineId, loaded.minusSeconds(60)));
        cluster.store.executions().end(ExecutionEnd.succeeded(id, loaded, 10, 10, 0, 0));

        requestCheck("nightly", "check-1");
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                conditionIs("nightly", "Fresh", Conditions.FALSE)
                                        && !annotated("nightly"));
        await().atMost(OperatorHarness.WAIT).until(() -> events("nightly", "Stale").size() == 1);
        assertThat(cluster.store.checks().freshnessLogCount(pipelineId)).isEqualTo(1);
        assertThat(pipeline("nightly").getStatus().lastTargetInsert).isNotNull();

        requestCheck("nightly", "check-2");
        await().atMost(OperatorHarness.WAIT).until(() -> !annotated("nightly"));
        assertThat(conditionIs("nightly", "Fresh", Conditions.FALSE)).isTrue();
        assertThat(cluster.store.checks().freshnessLogCount(pipelineId)).isEqualTo(1);
        assertThat(events("nightly", "Stale")).hasSize(1);
    }

    @Test
    void aLateExecutionTurnsTimelyFalseOnceWhileFailedOnesAreIgnored() {
        pipelineTypeWith("batch", null, null);
        Pipeline pipeline =
                awaitPipelineWithId(
                        createPipeline("hourly", "batch", null, freshness(10, DatePart.MINUTE)));
        long pipelineId = pipeline.getStatus().id;
        assertThat(conditionIs("hourly", "Timely", Conditions.TRUE)).isTrue();

        Instant now = Instant.now();
        long failed =
                cluster.store
                        .executions()
                        .start(ExecutionStart.of(pipelineId, now.minus(Duration.ofMinutes(40))));
        cluster.store
                .executions()
                .end(ExecutionEnd.failed(failed, now.minus(Duration.ofMinutes(5))));
        long stuck =
                cluster.store
                        .executions()
                        .start(ExecutionStart.of(pipelineId, now.minus(Duration.ofMinutes(30))));

        requestCheck("hourly", "check-1");
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                conditionIs("hourly", "Timely", Conditions.FALSE)
                                        && !annotated("hourly"));
        await().atMost(OperatorHarness.WAIT).until(() -> events("hourly", "Late").size() == 1);
        assertThat(events("hourly", "Late").get(0).getMessage())
                .contains("execution " + stuck + " is still running");
        assertThat(cluster.store.checks().timelinessLogCount(pipelineId)).isEqualTo(1);

        requestCheck("hourly", "check-2");
        await().atMost(OperatorHarness.WAIT).until(() -> !annotated("hourly"));
        assertThat(cluster.store.checks().timelinessLogCount(pipelineId)).isEqualTo(1);
        assertThat(events("hourly", "Late")).hasSize(1);
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static Threshold freshness(int number, DatePart part) {
        Threshold t = new Threshold();
        t.number = number;
        t.datepart = part;
        return t;
    }

    private void pipelineTypeWith(String name, Threshold freshness, Threshold timeliness) {
        PipelineType type = new PipelineType();
        type.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        type.setSpec(new PipelineTypeSpec());
        type.getSpec().displayName = name;
        type.getSpec().freshness = freshness;
        type.getSpec().timeliness = timeliness;
        cluster.client.resource(type).create();
    }

    private String createPipeline(
            String name, String type, Threshold freshness, Threshold timeliness) {
        Pipeline pipeline = new Pipeline();
        pipeline.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        pipeline.setSpec(new PipelineSpec());
        pipeline.getSpec().displayName = name;
        pipeline.getSpec().pipelineTypeRef = ObjectRef.to(type);
        pipeline.getSpec().freshness = freshness;
        pipeline.getSpec().timeliness = timeliness;
        cluster.client.resource(pipeline).create();
        return name;
    }

    private Pipeline awaitPipelineWithId(String name) {
        await().atMost(OperatorHarness.WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            Pipeline p = pipeline(name);
                            return p != null
                                    && p.getStatus() != null
                                    && p.getStatus().id != null
                                    && Conditions.find(p.getStatus().conditions, "Fresh")
                                            .isPresent();
                        });
        return pipeline(name);
    }

    private Pipeline pipeline(String name) {
        return cluster.client.resources(Pipeline.class).inNamespace(NS).withName(name).get();
    }

    private PipelineType pipelineType(String name) {
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                cluster.client
                                                        .resources(PipelineType.class)
                                                        .inNamespace(NS)
                                                        .withName(name)
                                                        .get()
                                                != null
                                        && cluster.client
                                                        .resources(PipelineType.class)
                                                        .inNamespace(NS)
                                                        .withName(name)
                                                        .get()
                                                        .getStatus()
                                                != null);
        return cluster.client.resources(PipelineType.class).inNamespace(NS).withName(name).get();
    }

    private AnomalyRule anomalyRule(String name) {
        return cluster.client.resources(AnomalyRule.class).inNamespace(NS).withName(name).get();
    }

    private boolean conditionIs(String pipeline, String type, String status) {
        Pipeline p = pipeline(pipeline);
        return p.getStatus() != null
                && Conditions.find(p.getStatus().conditions, type)
                        .map(c -> status.equals(c.getStatus()))
                        .orElse(false);
    }

    private boolean annotated(String pipeline) {
        Map<String, String> annotations = pipeline(pipeline).getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(MillraceApi.CHECK_ANNOTATION);
    }

    private void requestCheck(String pipeline, String requestId) {
        Pipeline current = pipeline(pipeline);
        String add =
                "{\"op\":\"add\",\"path\":\"/metadata/annotations/millrace.dev~1check\",\"value\":\""
                        + requestId
                        + "\"}";
        String ops =
                current.getMetadata().getAnnotations() == null
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

    private List<Event> events(String involvedName, String reason) {
        return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> involvedName.equals(e.getInvolvedObject().getName()))
                .filter(e -> "Pipeline".equals(e.getInvolvedObject().getKind()))
                .filter(e -> reason.equals(e.getReason()))
                .toList();
    }
}
