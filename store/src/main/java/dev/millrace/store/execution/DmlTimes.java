package dev.millrace.store.execution;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * When a pipeline last inserted, updated and soft-deleted rows in its target (the Watcher {@code
 * last_target_*} fields): the end of the last successful execution whose count was above zero.
 */
public record DmlTimes(
        long pipelineId,
        Instant lastTargetInsert,
        Instant lastTargetUpdate,
        Instant lastTargetSoftDelete) {

    /** The newest of the three, which is what freshness is measured from. */
    public Optional<Instant> latest() {
        return Stream.of(lastTargetInsert, lastTargetUpdate, lastTargetSoftDelete)
                .filter(java.util.Objects::nonNull)
                .max(Instant::compareTo);
    }
}
