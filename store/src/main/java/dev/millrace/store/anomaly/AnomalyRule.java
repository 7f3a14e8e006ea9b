package dev.millrace.store.anomaly;

import dev.millrace.store.execution.Metric;
import java.util.Objects;

/**
 * An anomaly rule as the store evaluates it (the Watcher {@code anomaly_detection_rule}), with the
 * Watcher API's limits.
 *
 * @param ruleId the rule's integer id (from the id registry)
 * @param zThreshold how many sample standard deviations from the mean are still normal, 1–10
 * @param lookbackDays how far back, from the evaluated execution's end, the baseline reaches, 1–365
 * @param minimumExecutions the baseline size below which the rule does not judge, 5–1000
 */
public record AnomalyRule(
        long ruleId,
        long pipelineId,
        Metric metric,
        double zThreshold,
        int lookbackDays,
        int minimumExecutions) {

    public AnomalyRule {
        Objects.requireNonNull(metric, "metric");
        if (!(zThreshold >= 1 && zThreshold <= 10)) {
            throw new IllegalArgumentException("zThreshold must be 1–10, was " + zThreshold);
        }
        if (lookbackDays < 1 || lookbackDays > 365) {
            throw new IllegalArgumentException("lookbackDays must be 1–365, was " + lookbackDays);
        }
        if (minimumExecutions < 5 || minimumExecutions > 1000) {
            throw new IllegalArgumentException(
                    "minimumExecutions must be 5–1000, was " + minimumExecutions);
        }
    }
}
