package dev.millrace.sync.plan;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/** How a stream's rows land in its table; the names and meanings are Airbyte's. */
public enum SyncMode {
    /** Every run reads all files and atomically replaces the table's rows. */
    FULL_REFRESH_OVERWRITE("full_refresh_overwrite"),
    /** Every run reads all files and appends all their rows. */
    FULL_REFRESH_APPEND("full_refresh_append"),
    /** Only new or changed files are read; with a cursor, only rows past the saved cursor land. */
    INCREMENTAL_APPEND("incremental_append"),
    /** Only new or changed files are read; the table keeps the latest row per primary key. */
    INCREMENTAL_DEDUPED_HISTORY("incremental_deduped_history");

    private final String wireName;

    SyncMode(String wireName) {
        this.wireName = wireName;
    }

    /** The lower-case name used in plans, results and CRDs. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    public boolean isIncremental() {
        return this == INCREMENTAL_APPEND || this == INCREMENTAL_DEDUPED_HISTORY;
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(SyncMode::wireName).toList();
    }
}
