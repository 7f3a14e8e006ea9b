package dev.millrace.sync.source;

import dev.millrace.sync.destination.duckdb.DuckDbSession;
import dev.millrace.sync.destination.duckdb.StagedRows;
import dev.millrace.sync.plan.StreamPlan;
import java.sql.SQLException;

/**
 * A source whose rows pass through Java (a database, an HTTP API), as opposed to files DuckDB reads
 * itself: it streams one stream's rows into staging, and the sync modes take it from there. Sources
 * behind this interface share the whole write path, whatever the destination does with staging.
 */
public interface StreamReader {

    /** What is read, for the log line that starts the stream, e.g. {@code table public.orders}. */
    String describe(StreamPlan stream);

    /**
     * Stages the stream's rows past {@code savedCursor} (all rows when it is null). A source may
     * return rows at or before the cursor; the sync mode filters them.
     *
     * @param readAtMicros the run's time, which orders these rows after those already landed
     */
    StagedRows stage(
            DuckDbSession session, StreamPlan stream, String savedCursor, long readAtMicros)
            throws SQLException;
}
