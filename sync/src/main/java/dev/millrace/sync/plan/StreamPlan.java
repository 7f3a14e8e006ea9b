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
 * @param rest rest and stripe sources: the endpoint and its paging (a stripe stream may omit it)
 */
public record StreamPlan(
        String name,
        SyncMode syncMode,
        String cursorField,
        List<String> primaryKey,
        String glob,
        @JsonInclude(JsonInclude.Include.NON_NULL) String table,
        @JsonInclude(JsonInclude.Include.NON_NULL) String query,
        @JsonInclude(JsonInclude.Include.NON_NULL) RestStreamPlan rest) {

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
        this(name, syncMode, cursorField, primaryKey, glob, null, null, null);
    }

    /** A stream of a file or jdbc source. */
    public StreamPlan(
            String name,
            SyncMode syncMode,
            String cursorField,
            List<String> primaryKey,
            String glob,
            String table,
            String query) {
        this(name, syncMode, cursorField, primaryKey, glob, table, query, null);
    }

    /** A stream of a rest or stripe source. */
    public static StreamPlan rest(
            String name,
            SyncMode syncMode,
            String cursorField,
            List<String> primaryKey,
            RestStreamPlan rest) {
        return new StreamPlan(name, syncMode, cursorField, primaryKey, null, null, null, rest);
    }

    /** This stream with its endpoint settled (a stripe stream's from the preset). */
    public StreamPlan withRest(RestStreamPlan endpoint) {
        return new StreamPlan(
                name, syncMode, cursorField, primaryKey, glob, table, query, endpoint);
    }

    public boolean hasCursor() {
        return cursorField != null;
    }
}
