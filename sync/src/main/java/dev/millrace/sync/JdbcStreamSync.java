package dev.millrace.sync;

import dev.millrace.sync.destination.duckdb.Column;
import dev.millrace.sync.destination.duckdb.DedupeMerge;
import dev.millrace.sync.destination.duckdb.DuckDbSession;
import dev.millrace.sync.destination.duckdb.LandingTable;
import dev.millrace.sync.destination.duckdb.RowStamp;
import dev.millrace.sync.destination.duckdb.StagedRows;
import dev.millrace.sync.destination.duckdb.WriteCounts;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.plan.SyncPlan;
import dev.millrace.sync.result.StreamResult;
import dev.millrace.sync.result.SyncFailure;
import dev.millrace.sync.source.StreamReader;
import dev.millrace.sync.state.StateStore;
import dev.millrace.sync.state.StreamState;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * One stream of a source whose rows pass through Java (a database, an HTTP API), inside the sync's
 * DuckDB transaction: read the rows (past the saved cursor for incremental modes) into staging,
 * evolve the table, apply the sync mode, save the cursor. There is no file ledger.
 */
final class JdbcStreamSync {

    private final SyncPlan plan;
    private final StreamPlan stream;
    private final StreamReader source;
    private final DuckDbSession session;
    private final StateStore state;
    private final RowStamp stamp;
    private final SyncLog log;

    JdbcStreamSync(
            SyncPlan plan,
            StreamPlan stream,
            StreamReader source,
            DuckDbSession session,
            StateStore state,
            RowStamp stamp,
            SyncLog log) {
        this.plan = plan;
        this.stream = stream;
        this.source = source;
        this.session = session;
        this.state = state;
        this.stamp = stamp;
        this.log = log;
    }

    StreamResult run() throws SQLException {
        SyncMode mode = stream.syncMode();
        boolean overwrite = plan.fullRefresh() || mode == SyncMode.FULL_REFRESH_OVERWRITE;
        LandingTable table = new LandingTable(session, plan.destination().schema(), stream.name());
        boolean tableExists = table.exists();
        StreamState savedState =
                overwrite || !tableExists ? StreamState.EMPTY : state.state(stream.name());
        String savedCursor =
                mode.isIncremental() && stream.hasCursor() && !overwrite
                        ? savedState.cursorFor(stream.cursorField())
                        : null;
        log.info(
                String.format(
                        "stream %s (%s%s): reading %s%s",
                        stream.name(),
                        mode.wireName(),
                        plan.fullRefresh() ? ", full refresh" : "",
                        source.describe(stream),
                        savedCursor == null
                                ? ""
                                : " where " + stream.cursorField() + " > " + savedCursor));
        long readAtMicros = ChronoUnit.MICROS.between(java.time.Instant.EPOCH, stamp.extractedAt());
        StagedRows staged = source.stage(session, stream, savedCursor, readAtMicros);
        log.info(String.format("stream %s: read %d row(s)", stream.name(), staged.rowCount()));

        if (!tableExists && staged.rowCount() == 0) {
            staged.drop();
            log.info("stream " + stream.name() + ": no rows to land; table not created");
            return result(table, 0, new WriteCounts(0, 0, 0), null, 0);
        }
        for (String change : table.evolveFor(staged.columns())) {
            log.info("stream " + stream.name() + ": " + change);
        }
        table.checkLosslessCasts(staged);
        // An API page without records says nothing about columns: only rows can lack the cursor.
        boolean noRows = staged.rowCount() == 0;
        if (!noRows
                && stream.hasCursor()
                && Column.named(staged.columns(), stream.cursorField()).isEmpty()) {
            throw new SyncFailure(
                    "cursorField \"" + stream.cursorField() + "\" is not a column of the source");
        }

        long rowsBefore = table.rowCount();
        WriteCounts counts;
        if (overwrite) {
            long deletes = table.deleteAll();
            if (mode == SyncMode.INCREMENTAL_DEDUPED_HISTORY && !noRows) {
                WriteCounts merged = merge(table).merge(staged, List.of(), Map.of(), stamp);
                counts = new WriteCounts(merged.inserts(), 0, deletes);
            } else {
                counts = new WriteCounts(table.insertStaged(staged, stamp), 0, deletes);
            }
        } else {
            counts =
                    switch (mode) {
                        case FULL_REFRESH_APPEND ->
                                new WriteCounts(table.insertStaged(staged, stamp), 0, 0);
                        case INCREMENTAL_APPEND ->
                                new WriteCounts(
                                        table.insertStagedPastCursor(
                                                staged, stamp, stream.cursorField(), savedCursor),
                                        0,
                                        0);
                        case INCREMENTAL_DEDUPED_HISTORY ->
                                noRows
                                        ? new WriteCounts(0, 0, 0)
                                        : merge(table).merge(staged, List.of(), Map.of(), stamp);
                        case FULL_REFRESH_OVERWRITE ->
                                throw new IllegalStateException("handled as overwrite");
                    };
        }
        long rowsAfter = table.rowCount();
        if (rowsBefore > 0 && rowsAfter == 0 && !plan.allowEmptyReplace()) {
            throw new SyncFailure(
                    String.format(
                            "refusing to replace %d rows of %s with an empty result; set"
                                    + " allowEmptyReplace",
                            rowsBefore, table.displayName()));
        }
        String cursor = null;
        if (stream.hasCursor() && mode.isIncremental()) {
            cursor = table.maxAsText(stream.cursorField());
            state.saveState(
                    stream.name(),
                    new StreamState(stream.cursorField(), cursor),
                    stamp.jobId(),
                    stamp.extractedAt());
        } else if (!savedState.equals(StreamState.EMPTY) || plan.fullRefresh()) {
            state.saveState(stream.name(), StreamState.EMPTY, stamp.jobId(), stamp.extractedAt());
        }
        long rowsRead = staged.rowCount();
        staged.drop();
        log.info(
                String.format(
                        "stream %s: %d insert(s), %d update(s), %d delete(s); %s has %d row(s)%s",
                        stream.name(),
                        counts.inserts(),
                        counts.updates(),
                        counts.deletes(),
                        table.displayName(),
                        rowsAfter,
                        cursor == null ? "" : "; cursor " + stream.cursorField() + " = " + cursor));
        return result(table, rowsRead, counts, cursor, rowsAfter);
    }

    private DedupeMerge merge(LandingTable table) throws SQLException {
        return new DedupeMerge(table, stream.primaryKey(), stream.cursorField());
    }

    private StreamResult result(
            LandingTable table, long rowsRead, WriteCounts counts, String cursor, long rows) {
        return new StreamResult(
                stream.name(),
                table.displayName(),
                stream.syncMode().wireName(),
                rowsRead,
                counts.written(),
                counts.inserts(),
                counts.updates(),
                counts.deletes(),
                0,
                rows,
                0,
                0,
                cursor);
    }
}
