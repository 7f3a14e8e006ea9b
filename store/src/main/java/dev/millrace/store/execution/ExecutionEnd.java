package dev.millrace.store.execution;

import java.time.Instant;
import java.util.Objects;

/**
 * What ending an execution records. Counts may be null (not reported) but never negative.
 *
 * @param metadataJson replaces the execution metadata when not null
 */
public record ExecutionEnd(
        long id,
        Instant end,
        boolean succeeded,
        Long totalRows,
        Long inserts,
        Long updates,
        Long softDeletes,
        String metadataJson) {

    public ExecutionEnd {
        Objects.requireNonNull(end, "end");
        requireNotNegative("totalRows", totalRows);
        requireNotNegative("inserts", inserts);
        requireNotNegative("updates", updates);
        requireNotNegative("softDeletes", softDeletes);
    }

    public static ExecutionEnd succeeded(
            long id, Instant end, long totalRows, long inserts, long updates, long softDeletes) {
        return new ExecutionEnd(id, end, true, totalRows, inserts, updates, softDeletes, null);
    }

    public static ExecutionEnd failed(long id, Instant end) {
        return new ExecutionEnd(id, end, false, null, null, null, null, null);
    }

    private static void requireNotNegative(String field, Long value) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException(field + " cannot be negative, was " + value);
        }
    }
}
