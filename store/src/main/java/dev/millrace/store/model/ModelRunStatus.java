package dev.millrace.store.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a model run is. SKIPPED is a run that never executed because a model it depends on did not
 * succeed in the same request; the platform API shows it as {@code not_run}.
 */
public enum ModelRunStatus {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    SKIPPED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ModelRunStatus fromWireName(String wireName) {
        return Arrays.stream(values())
                .filter(s -> s.wireName().equals(wireName))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("unknown model run status " + wireName));
    }
}
