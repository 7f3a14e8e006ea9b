package dev.millrace.api.watcher;

import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.crds.pipeline.PipelineStatus;
import dev.millrace.store.Store;
import dev.millrace.store.anomaly.Evaluation;
import dev.millrace.store.execution.Execution;
import dev.millrace.store.execution.ExecutionEnd;
import dev.millrace.store.execution.ExecutionStart;
import dev.millrace.store.execution.ExecutionStatus;
import dev.millrace.store.execution.Metric;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * /start_pipeline_execution, /end_pipeline_execution and /pipeline_execution/{id}. The store
 * computes duration and throughput and keeps the hierarchy; a successful end here does what the
 * reference does after one: the pipeline's active anomaly rules judge the execution, the watermark
 * moves to the next watermark, and lineage loading turns off. Nothing is written to Kubernetes
 * unless one of those changes something, so recording executions costs store writes only.
 */
final class ExecutionEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionEndpoints.class);

    private final WatcherObjects objects;
    private final Store store;
    private final Clock clock;

    ExecutionEndpoints(WatcherObjects objects, Clock clock) {
        this.objects = objects;
        this.store = objects.store();
        this.clock = clock;
    }

    void start(Context ctx) {
        WatcherRequest request = WatcherRequest.parse(ctx.body());
        long pipelineId = request.requiredId("pipeline_id");
        Instant start = request.timestamp("start_date");
        String watermark = request.watermark("watermark");
        String nextWatermark = request.watermark("next_watermark");
        Long parentId = request.id("parent_id");
        Pipeline pipeline =
                objects.pipeline(pipelineId)
                        .orElseThrow(() -> WatcherApiException.notFound("Pipeline not found"));
        PipelineStatus status = pipeline.getStatus();
        // Unsent watermarks are the pipeline's current ones, as the operator records a sync.
        ExecutionStart execution =
                new ExecutionStart(
                        pipelineId,
                        parentId,
                        start != null ? start : clock.instant(),
                        watermark != null ? watermark : status == null ? null : status.watermark,
                        nextWatermark != null
                                ? nextWatermark
                                : status == null ? null : status.nextWatermark,
                        null,
                        null);
        long id;
        try {
            id = store.executions().start(execution);
        } catch (NoSuchElementException e) {
            throw WatcherApiException.notFound("Parent pipeline execution not found");
        } catch (IllegalArgumentException e) {
            throw WatcherApiException.badRequest(e.getMessage());
        }
        ctx.status(201).json(WatcherViews.id(id));
    }

    void end(Context ctx) {
        WatcherRequest request = WatcherRequest.parse(ctx.body());
        long id = request.requiredId("id");
        Instant end = request.requiredTimestamp("end_date");
        Boolean succeeded = request.bool("completed_successfully");
        Long totalRows = request.integer("total_rows", 0, Long.MAX_VALUE);
        Long inserts = request.integer("inserts", 0, Long.MAX_VALUE);
        Long updates = request.integer("updates", 0, Long.MAX_VALUE);
        Long softDeletes = request.integer("soft_deletes", 0, Long.MAX_VALUE);
        var metadata = request.object("execution_metadata");
        Execution execution = find(id);
        Pipeline pipeline =
                objects.pipeline(execution.pipelineId())
                        .orElseThrow(
                                () -> WatcherApiException.notFound("Pipeline execution not found"));
        if (!end.isAfter(execution.start())) {
            throw WatcherApiException.badRequest("end_date must be greater than start_date");
        }
        if (execution.status() != ExecutionStatus.RUNNING) {
            throw WatcherApiException.conflict("Pipeline execution " + id + " has already ended");
        }
        // An end that does not say how it went counts as a success, as in the reference.
        boolean success = !Boolean.FALSE.equals(succeeded);
        boolean ended =
                store.executions()
                        .end(
                                new ExecutionEnd(
                                        id,
                                        end,
                                        success,
                                        totalRows,
                                        inserts,
                                        updates,
                                        softDeletes,
                                        metadata == null ? null : metadata.toString()));
        if (!ended) {
            throw WatcherApiException.conflict("Pipeline execution " + id + " has already ended");
        }
        if (success) {
            judge(pipeline, execution.pipelineId(), id);
            afterSuccess(pipeline);
        }
        ctx.status(204);
    }

    /** Every active rule of the pipeline judges the execution; anomalies are recorded. */
    private void judge(Pipeline pipeline, long pipelineId, long executionId) {
        String name = pipeline.getMetadata().getName();
        WatcherObjects.Index<AnomalyRule> rules = objects.rules();
        for (Metric metric : Metric.values()) {
            AnomalyRule rule = rules.byKey().get(WatcherObjects.ruleKey(name, metric.wireName()));
            if (rule == null || Boolean.FALSE.equals(rule.getSpec().active)) {
                continue;
            }
            var spec = rule.getSpec();
            var storeRule =
                    new dev.millrace.store.anomaly.AnomalyRule(
                            objects.idOf(rule, WatcherObjects.ANOMALY_RULE),
                            pipelineId,
                            Metric.valueOf(spec.metricField.name()),
                            spec.zThreshold == null ? 3.0 : spec.zThreshold,
                            spec.lookbackDays == null ? 30 : spec.lookbackDays,
                            spec.minimumExecutions == null ? 30 : spec.minimumExecutions);
            Evaluation evaluation = store.anomalies().evaluate(storeRule, executionId);
            if (evaluation.anomalous()) {
                store.anomalies().record(evaluation, clock.instant());
                LOG.info(
                        "Execution {} of pipeline {} is anomalous in {} (value {}, band {} … {})",
                        executionId,
                        pipelineId,
                        evaluation.metric().wireName(),
                        evaluation.value(),
                        evaluation.lowerBound(),
                        evaluation.upperBound());
            }
        }
    }

    /** watermark := next_watermark and load_lineage off, written only when they change. */
    private void afterSuccess(Pipeline pipeline) {
        Pipeline current = pipeline;
        if (Boolean.TRUE.equals(current.getSpec().loadLineage)) {
            current = objects.updateSpec(current, p -> p.getSpec().loadLineage = false);
        }
        PipelineStatus status = current.getStatus();
        if (status != null
                && status.nextWatermark != null
                && !status.nextWatermark.equals(status.watermark)) {
            objects.updateStatus(current, PipelineStatus::new, s -> s.watermark = s.nextWatermark);
        }
    }

    void get(Context ctx) {
        long id =
                WatcherRequest.pathId(
                        "pipeline_execution_id", ctx.pathParam("pipeline_execution_id"));
        Execution execution =
                store.executions()
                        .find(id)
                        .filter(e -> objects.pipeline(e.pipelineId()).isPresent())
                        .orElseThrow(
                                () -> WatcherApiException.notFound("Pipeline execution not found"));
        ctx.json(WatcherViews.execution(execution));
    }

    private Execution find(long id) {
        return store.executions()
                .find(id)
                .orElseThrow(() -> WatcherApiException.notFound("Pipeline execution not found"));
    }
}
