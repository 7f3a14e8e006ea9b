package dev.millrace.store.model;

import java.time.Instant;

/**
 * One model run as the store remembers it.
 *
 * @param rowCount rows of the table the run built; null for views and runs that built nothing
 * @param error why the run failed or was skipped, else null
 * @param resultJson the run's JSON result, null until it reports one
 */
public record ModelRunRecord(
        long id,
        String namespace,
        String model,
        String modelUid,
        String requestKey,
        boolean cascade,
        ModelRunStatus status,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        Long rowCount,
        String error,
        String resultJson) {}
