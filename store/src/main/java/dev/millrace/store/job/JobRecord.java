package dev.millrace.store.job;

import java.time.Instant;

/**
 * One sync job as the store remembers it.
 *
 * @param startedAt null until the job runs
 * @param endedAt null until the job is terminal
 * @param error null unless the job failed
 * @param resultJson the sync's compact JSON result, null until it reports one
 */
public record JobRecord(
        long id,
        String namespace,
        String connection,
        String connectionUid,
        String source,
        String requestKey,
        JobType type,
        JobStatus status,
        boolean fullRefresh,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        long rowsSynced,
        long bytesSynced,
        String error,
        String resultJson) {}
