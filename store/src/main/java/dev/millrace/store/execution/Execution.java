package dev.millrace.store.execution;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One pipeline execution as the store keeps it (the Watcher {@code pipeline_execution}).
 *
 * @param parentId the execution this one runs under, or null for a root
 * @param hourRecorded the UTC hour of {@code start}, which the anomaly baseline groups by
 * @param end null while running
 * @param durationSeconds whole seconds from start to end, computed by the store on end
 * @param throughput total rows per second of the exact duration, computed by the store on end; null
 *     without a row count
 * @param metadataJson the execution metadata as JSON text, or null
 * @param jobId the sync Job this execution records, or null
 * @param anomalyFlags the metrics an anomaly rule flagged
 * @param children the direct child executions (one level), empty unless read with them
 */
public record Execution(
        long id,
        long pipelineId,
        Long parentId,
        ExecutionStatus status,
        Instant start,
        Instant end,
        int hourRecorded,
        Long totalRows,
        Long inserts,
        Long updates,
        Long softDeletes,
        Long durationSeconds,
        Double throughput,
        String watermark,
        String nextWatermark,
        String metadataJson,
        Long jobId,
        Set<Metric> anomalyFlags,
        List<Execution> children) {

    public Execution {
        anomalyFlags = Set.copyOf(anomalyFlags);
        children = List.copyOf(children);
    }

    /** The value of {@code metric}, null if the execution has none (yet). */
    public Double value(Metric metric) {
        Number value =
                switch (metric) {
                    case TOTAL_ROWS -> totalRows;
                    case INSERTS -> inserts;
                    case UPDATES -> updates;
                    case SOFT_DELETES -> softDeletes;
                    case DURATION_SECONDS -> durationSeconds;
                    case THROUGHPUT -> throughput;
                };
        return value == null ? null : value.doubleValue();
    }

    Execution withChildren(List<Execution> value) {
        return new Execution(
                id,
                pipelineId,
                parentId,
                status,
                start,
                end,
                hourRecorded,
                totalRows,
                inserts,
                updates,
                softDeletes,
                durationSeconds,
                throughput,
                watermark,
                nextWatermark,
                metadataJson,
                jobId,
                anomalyFlags,
                value);
    }
}
