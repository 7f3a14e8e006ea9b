package dev.millrace.store.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a sync job is, with the Airbyte job statuses' meaning. {@link #INCOMPLETE} is not terminal:
 * an attempt failed and the job may still run again.
 */
public enum JobStatus {
    PENDING(false),
    QUEUED(false),
    RUNNING(false),
    INCOMPLETE(false),
    SUCCEEDED(true),
    FAILED(true),
    CANCELLED(true);

    private final boolean terminal;

    JobStatus(boolean terminal) {
        this.terminal = terminal;
    }

    /** The lower-case name the Airbyte API uses and the store saves, e.g. {@code "running"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A terminal job never changes status again. */
    public boolean isTerminal() {
        return terminal;
    }

    /**
     * @throws IllegalArgumentException naming the accepted values
     */
    public static JobStatus fromWireName(String wireName) {
        return Arrays.stream(values())
                .filter(status -> status.wireName().equals(wireName))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "unknown job status '"
                                                + wireName
                                                + "'; expected one of "
                                                + Arrays.stream(values())
                                                        .map(JobStatus::wireName)
                                                        .collect(Collectors.joining(", "))));
    }
}
