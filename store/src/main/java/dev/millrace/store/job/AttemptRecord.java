package dev.millrace.store.job;

import java.time.Instant;

/**
 * One attempt of a job: one batch/v1 Job run.
 *
 * @param jobName the batch/v1 Job that ran it
 * @param startedAt null until its pod runs
 * @param endedAt null while running
 * @param rowsSynced the last progress report while running, the result's count once ended
 * @param retryable null unless it failed; whether a later attempt may succeed
 * @param progressStream the stream the last progress report named, null before any
 * @param progressAt when the last progress report arrived, null before any
 */
public record AttemptRecord(
        long jobId,
        int attempt,
        String jobName,
        AttemptStatus status,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        long rowsSynced,
        long bytesSynced,
        String error,
        Boolean retryable,
        String progressToken,
        String progressStream,
        Instant progressAt) {

    /** Leaves the token out: it must not reach logs. */
    @Override
    public String toString() {
        return "AttemptRecord[job "
                + jobId
                + " attempt "
                + attempt
                + " ("
                + jobName
                + ") "
                + status.wireName()
                + "]";
    }
}
