package dev.millrace.store.anomaly;

import dev.millrace.store.execution.Metric;
import java.time.Instant;

/**
 * A recorded anomaly (the Watcher {@code anomaly_detection_result}).
 *
 * @param contextJson the baseline's real size and the parameters it was drawn with, as JSON
 */
public record AnomalyResult(
        long ruleId,
        long executionId,
        long pipelineId,
        Metric metric,
        double value,
        double zScore,
        double mean,
        double stddev,
        double lowerBound,
        double upperBound,
        String contextJson,
        Instant detectedAt) {}
