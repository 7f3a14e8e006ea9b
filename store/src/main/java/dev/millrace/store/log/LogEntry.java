package dev.millrace.store.log;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of the activity log.
 *
 * @param source the Source the line is about, null for lines about the namespace as a whole
 * @param jobId the job the line is about, null if none
 * @param message shown as given; callers never put secrets in it
 */
public record LogEntry(
        Instant timestamp,
        String namespace,
        String source,
        Long jobId,
        LogLevel level,
        String message) {

    public LogEntry {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(message, "message");
    }
}
