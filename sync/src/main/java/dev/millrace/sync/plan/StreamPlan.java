package dev.millrace.sync.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One stream of a connection: the files it reads and the table it lands in, named after it.
 *
 * @param name the stream's name, which is also its table's name
 * @param syncMode how rows land
 * @param cursorField the column that orders rows in time, if any
 * @param primaryKey the columns identifying a row (required by {@code incremental_deduped_history})
 * @param glob overrides the source's glob for this stream
 * @param table jdbc sources: the table or view read, optionally {@code schema.table}
 * @param query jdbc sources: a SELECT read instead of a table
 */
public record StreamPlan(
        String name,
        SyncMode syncMode,
        String cursorField,
        List<String> primaryKey,
        String glob,
        @JsonInclude(JsonInclude.Include.NON_NULL) String table,
        @JsonInclude(JsonInclude.Include.NON_NULL) String query) {

    public StreamPlan {
        primaryKey =
                primaryKey == null
                        ? List.of()
                        : Collections.unmodifiableList(new ArrayList<>(primaryKey));
    }

    /** A stream of a file source. */
    public StreamPlan(
            String name,
            SyncMode syncMode,
            String cursorField,
            List<String> primaryKey,
            String glob) {
        this(name, syncMode, cursorField, primaryKey, glob, null, null);
    }

    public boolean hasCursor() {
        return cursorField != null;
    }
}
