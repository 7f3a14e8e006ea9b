package dev.millrace.store.check;

import java.util.Objects;

/**
 * A pipeline to check and the threshold that applies to it (its own, or its type's). Callers leave
 * out pipelines whose check is unset, muted or inactive.
 */
public record CheckTarget(long pipelineId, Threshold threshold) {
    public CheckTarget {
        Objects.requireNonNull(threshold, "threshold");
    }
}
