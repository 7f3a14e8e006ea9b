package dev.millrace.store.execution;

import java.util.Arrays;

/** Where a pipeline execution is: running until it ends, then succeeded or failed for good. */
public enum ExecutionStatus {
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed");

    private final String wireName;

    ExecutionStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ExecutionStatus fromWireName(String value) {
        return Arrays.stream(values())
                .filter(s -> s.wireName.equals(value))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("unknown execution status " + value));
    }
}
