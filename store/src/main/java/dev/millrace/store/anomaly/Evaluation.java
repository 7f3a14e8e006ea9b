package dev.millrace.store.anomaly;

import dev.millrace.store.execution.Metric;
import java.time.Instant;

/**
 * What evaluating one rule for one execution found. Baseline figures are null when the rule did not
 * judge (see {@link Outcome}).
 *
 * @param value the execution's metric value, null if it has none
 * @param baselineSize how many executions the baseline really held
 * @param lowerBound {@code max(0, mean − z·std)}
 * @param upperBound {@code mean + z·std}
 * @param zScore {@code (value − mean) / std}
 * @param hourOfDay the UTC hour the baseline was drawn from
 * @param lookbackStart the earliest end a baseline execution could have
 */
public record Evaluation(
        AnomalyRule rule,
        long executionId,
        Outcome outcome,
        Double value,
        long baselineSize,
        Double mean,
        Double stddev,
        Double zScore,
        Double lowerBound,
        Double upperBound,
        int hourOfDay,
        Instant lookbackStart) {

    public enum Outcome {
        /** Inside the band. */
        NORMAL,
        /** Outside the band: record it. */
        ANOMALOUS,
        /** The execution did not succeed, so it is not judged. */
        NOT_SUCCEEDED,
        /** The execution has no value for the metric. */
        NO_VALUE,
        /** Fewer baseline values than the rule's minimum. */
        TOO_FEW_EXECUTIONS,
        /** Every baseline value is the same: no band to be outside of. */
        NO_SPREAD
    }

    public Metric metric() {
        return rule.metric();
    }

    public boolean anomalous() {
        return outcome == Outcome.ANOMALOUS;
    }

    /** Whether the rule judged the execution at all (normal or anomalous). */
    public boolean judged() {
        return outcome == Outcome.NORMAL || outcome == Outcome.ANOMALOUS;
    }
}
