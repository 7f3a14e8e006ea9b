package dev.millrace.store.job;

import java.util.Arrays;
import java.util.Locale;

/** Where one attempt of a job is: Airbyte's attempt statuses, plus cancelled. */
public enum AttemptStatus {
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return this != RUNNING;
    }

    public static AttemptStatus fromWireName(String wireName) {
        return Arrays.stream(values())
                .filter(status -> status.wireName().equals(wireName))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("unknown attempt status " + wireName));
    }
}
