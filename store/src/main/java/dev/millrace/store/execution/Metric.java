package dev.millrace.store.execution;

import java.util.Arrays;
import java.util.Locale;

/**
 * The execution metrics an anomaly rule can watch, named as the Watcher API names them. Each maps
 * to a value column and a flag column of {@code pipeline_executions}; the names come from this enum
 * only, never from input, so they may be written into SQL.
 */
public enum Metric {
    TOTAL_ROWS,
    INSERTS,
    UPDATES,
    SOFT_DELETES,
    DURATION_SECONDS,
    THROUGHPUT;

    /** The Watcher name, e.g. {@code total_rows}; also the value column. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String column() {
        return wireName();
    }

    public String flagColumn() {
        return "anomaly_" + wireName();
    }

    public static Metric fromWireName(String value) {
        return Arrays.stream(values())
                .filter(m -> m.wireName().equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown metric field " + value));
    }
}
