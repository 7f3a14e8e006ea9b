package dev.millrace.operator.pipeline;

import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.pipeline.PipelineStatus;
import dev.millrace.store.Store;
import dev.millrace.store.execution.DmlTimes;
import dev.millrace.store.execution.Execution;
import dev.millrace.store.execution.Metric;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Pipeline status fields copied from the store, which holds the history they summarise: the
 * last execution, the last DML times and whether the last ended execution was flagged. Both the
 * Pipeline reconciler and the execution recorder fill them, so they always agree.
 */
final class PipelineStatusFields {
    static final String ANOMALY_FREE = "AnomalyFree";

    private PipelineStatusFields() {}

    static void copyHistory(
            Store store, long pipelineId, PipelineStatus status, Long generation, Instant now) {
        Optional<DmlTimes> dml = store.executions().dmlTimes(pipelineId);
        status.lastTargetInsert =
                dml.map(DmlTimes::lastTargetInsert).map(PipelineStatusFields::iso).orElse(null);
        status.lastTargetUpdate =
                dml.map(DmlTimes::lastTargetUpdate).map(PipelineStatusFields::iso).orElse(null);
        status.lastTargetSoftDelete =
                dml.map(DmlTimes::lastTargetSoftDelete).map(PipelineStatusFields::iso).orElse(null);
        status.lastExecution =
                store.executions().ofPipeline(pipelineId, 1, 0).stream()
                        .findFirst()
                        .map(PipelineStatusFields::summary)
                        .orElse(null);
        Optional<Execution> lastEnded = store.executions().lastEnded(pipelineId);
        if (lastEnded.isPresent() && !lastEnded.get().anomalyFlags().isEmpty()) {
            Conditions.set(
                    status.conditions,
                    ANOMALY_FREE,
                    Conditions.FALSE,
                    "AnomalyDetected",
                    "execution "
                            + lastEnded.get().id()
                            + " is anomalous in "
                            + lastEnded.get().anomalyFlags().stream()
                                    .map(Metric::wireName)
                                    .sorted()
                                    .collect(Collectors.joining(", ")),
                    generation,
                    now);
        } else {
            Conditions.set(
                    status.conditions,
                    ANOMALY_FREE,
                    Conditions.TRUE,
                    "NoAnomalies",
                    lastEnded
                            .map(e -> "execution " + e.id() + " is not flagged")
                            .orElse("no execution has ended yet"),
                    generation,
                    now);
        }
    }

    static PipelineStatus.ExecutionSummary summary(Execution execution) {
        PipelineStatus.ExecutionSummary summary = new PipelineStatus.ExecutionSummary();
        summary.id = execution.id();
        summary.status = execution.status().wireName();
        summary.start = iso(execution.start());
        summary.end = execution.end() == null ? null : iso(execution.end());
        summary.totalRows = execution.totalRows();
        return summary;
    }

    static String iso(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
