package dev.millrace.sync;

import dev.millrace.sync.destination.duckdb.Column;
import dev.millrace.sync.destination.duckdb.DedupeMerge;
import dev.millrace.sync.destination.duckdb.DuckDbSession;
import dev.millrace.sync.destination.duckdb.LandingTable;
import dev.millrace.sync.destination.duckdb.RowStamp;
import dev.millrace.sync.destination.duckdb.StagedRows;
import dev.millrace.sync.destination.duckdb.WriteCounts;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.plan.SyncPlan;
import dev.millrace.sync.result.FileEntry;
import dev.millrace.sync.result.StreamResult;
import dev.millrace.sync.result.SyncFailure;
import dev.millrace.sync.source.FileScan;
import dev.millrace.sync.source.csv.CsvFolder;
import dev.millrace.sync.source.csv.SourceFile;
import dev.millrace.sync.state.FileChanges;
import dev.millrace.sync.state.LedgerEntry;
import dev.millrace.sync.state.StateStore;
import dev.millrace.sync.state.StreamState;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One stream of a sync, inside the sync's transaction: list the files, decide which to read from
 * the ledger, stage them, evolve the table, apply the sync mode, then record ledger and cursor.
 */
final class StreamSync {

    /** What a run does to the table, after the plan's mode and fullRefresh flag are combined. */
    private enum Write {
        /** Replace all rows with all files' rows. */
        OVERWRITE,
        /** Replace all rows with the latest row per key of all files. */
        OVERWRITE_DEDUPED,
        /** Append all files' rows. */
        APPEND_ALL,
        /** Drop the rows of changed and vanished files, append new and changed files' rows. */
        REPLACE_CHANGED_FILES,
        /**
         * Append rows of new and changed files whose cursor is past the saved one; never delete.
         */
        APPEND_AFTER_CURSOR,
        /** Merge new and changed files' rows by key; drop the rows of vanished files. */
        MERGE_DEDUPED;

        boolean readsAllFiles() {
            return this == OVERWRITE || this == OVERWRITE_DEDUPED || this == APPEND_ALL;
        }
    }

    /** Delimiters DuckDB's sniffer tries; one inside a column name means it gave up on the file. */
    private static final String SNIFFED_DELIMITERS = ",;|\t";

    private final SyncPlan plan;
    private final StreamPlan stream;
    private final CsvFolder folder;
    private final FileScan scan;
    private final DuckDbSession session;
    private final StateStore state;
    private final RowStamp stamp;
    private final SyncLog log;
    private final SyncProgress progress;

    StreamSync(
            SyncPlan plan,
            StreamPlan stream,
            CsvFolder folder,
            DuckDbSession session,
            StateStore state,
            RowStamp stamp,
            SyncLog log,
            SyncProgress progress) {
        this.plan = plan;
        this.stream = stream;
        this.folder = folder;
        this.scan = FileScan.of(plan.source());
        this.session = session;
        this.state = state;
        this.stamp = stamp;
        this.log = log;
        this.progress = progress;
    }

    StreamResult run() throws SQLException, IOException {
        Write write = write();
        List<SourceFile> current = folder.list();
        LandingTable table = new LandingTable(session, plan.destination().schema(), stream.name());
        boolean tableExists = table.exists();

        // Without its table, a ledger or cursor describes rows that are gone (the table was
        // dropped or the schema renamed): start over rather than skip files nobody has.
        boolean freshStart = write.readsAllFiles() || !tableExists;
        List<LedgerEntry> ledger = freshStart ? List.of() : state.ledger(stream.name());
        StreamState savedState = freshStart ? StreamState.EMPTY : state.state(stream.name());
        FileChanges changes = FileChanges.between(current, ledger);
        List<SourceFile> toLoad = write.readsAllFiles() ? current : changes.toLoad();
        log.info(
                String.format(
                        "stream %s (%s%s): %d file(s) match %s in %s; %s",
                        stream.name(),
                        stream.syncMode().wireName(),
                        plan.fullRefresh() ? ", full refresh" : "",
                        current.size(),
                        folder.glob(),
                        folder.directory(),
                        write.readsAllFiles() ? "reading all" : changes.summary()));

        if (!tableExists && toLoad.stream().allMatch(file -> file.size() == 0)) {
            log.info(
                    "stream "
                            + stream.name()
                            + ": no rows to land; "
                            + table.displayName()
                            + " not created");
            state.clearLedger(stream.name());
            return result(
                    table, 0, new WriteCounts(0, 0, 0), 0, 0, current.size(), null, 0, List.of());
        }

        long bytes = toLoad.stream().mapToLong(SourceFile::size).sum();
        if (!toLoad.isEmpty()) {
            log.info(
                    String.format(
                            "stream %s: reading %d file(s), %d bytes",
                            stream.name(), toLoad.size(), bytes));
        }
        progress.scanning(bytes, session::runningStatementProgress);
        StagedRows staged = StagedRows.stage(session, toLoad, scan);
        progress.read(staged.rowCount(), bytes);
        if (!toLoad.isEmpty()) {
            log.info(
                    String.format("stream %s: parsed %d row(s)", stream.name(), staged.rowCount()));
        }
        checkDialectWasFound(staged);

        for (String change : table.evolveFor(staged.columns())) {
            log.info("stream " + stream.name() + ": " + change);
        }
        table.checkLosslessCasts(staged);
        if (stream.hasCursor()
                && stream.syncMode().isIncremental()
                && staged.rowCount() > 0
                && Column.named(staged.columns(), stream.cursorField()).isEmpty()) {
            throw new SyncFailure(
                    "cursorField \""
                            + stream.cursorField()
                            + "\" is not a column of the files (columns: "
                            + staged.columns().stream()
                                    .map(Column::name)
                                    .collect(Collectors.joining(", "))
                            + ")");
        }

        long rowsBefore = table.rowCount();
        WriteCounts counts = apply(write, table, staged, changes, ledger, savedState);
        long rowsAfter = table.rowCount();
        if (rowsBefore > 0 && rowsAfter == 0 && !plan.allowEmptyReplace()) {
            throw new SyncFailure(
                    String.format(
                            "refusing to replace %d rows of %s with an empty result; set"
                                    + " allowEmptyReplace",
                            rowsBefore, table.displayName()));
        }

        if (freshStart) {
            state.clearLedger(stream.name());
        } else {
            state.forgetFiles(stream.name(), changes.outdatedPaths());
        }
        List<LedgerEntry> loaded = new ArrayList<>();
        Map<String, Long> rowsPerFile = staged.rowsPerFile();
        for (SourceFile file : toLoad) {
            loaded.add(
                    new LedgerEntry(
                            file.relativePath(),
                            file.size(),
                            file.mtimeMicros(),
                            rowsPerFile.get(file.relativePath())));
        }
        state.recordFiles(stream.name(), loaded, stamp.jobId(), stamp.extractedAt());
        String cursor = saveCursor(table, savedState);
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
        return result(
                table,
                staged.rowCount(),
                counts,
                bytes,
                toLoad.size(),
                current.size(),
                cursor,
                rowsAfter,
                committedFiles());
    }

    /** The stream's ledger as this transaction leaves it, for the result. */
    private List<FileEntry> committedFiles() throws SQLException {
        return state.ledger(stream.name()).stream()
                .map(
                        entry ->
                                new FileEntry(
                                        entry.path(),
                                        entry.size(),
                                        Instant.EPOCH.plus(entry.mtimeMicros(), ChronoUnit.MICROS),
                                        entry.rows()))
                .toList();
    }

    private Write write() {
        SyncMode mode = stream.syncMode();
        if (plan.fullRefresh()) {
            return mode == SyncMode.INCREMENTAL_DEDUPED_HISTORY
                    ? Write.OVERWRITE_DEDUPED
                    : Write.OVERWRITE;
        }
        return switch (mode) {
            case FULL_REFRESH_OVERWRITE -> Write.OVERWRITE;
            case FULL_REFRESH_APPEND -> Write.APPEND_ALL;
            // Append-only once a cursor decides what is new: a file that grew, or an export that
            // overlaps the previous one, must not take rows the cursor already let through.
            case INCREMENTAL_APPEND ->
                    stream.hasCursor() ? Write.APPEND_AFTER_CURSOR : Write.REPLACE_CHANGED_FILES;
            case INCREMENTAL_DEDUPED_HISTORY -> Write.MERGE_DEDUPED;
        };
    }

    private WriteCounts apply(
            Write write,
            LandingTable table,
            StagedRows staged,
            FileChanges changes,
            List<LedgerEntry> ledger,
            StreamState savedState)
            throws SQLException {
        switch (write) {
            case OVERWRITE -> {
                long deletes = table.deleteAll();
                return new WriteCounts(table.insertStaged(staged, stamp), 0, deletes);
            }
            case OVERWRITE_DEDUPED -> {
                long deletes = table.deleteAll();
                WriteCounts merged = merge(table).merge(staged, List.of(), Map.of(), stamp);
                return new WriteCounts(merged.inserts(), 0, deletes);
            }
            case APPEND_ALL -> {
                return new WriteCounts(table.insertStaged(staged, stamp), 0, 0);
            }
            case REPLACE_CHANGED_FILES -> {
                long deletes = table.deleteRowsOfFiles(changes.outdatedPaths());
                return new WriteCounts(table.insertStaged(staged, stamp), 0, deletes);
            }
            case APPEND_AFTER_CURSOR -> {
                String saved = savedState.cursorFor(stream.cursorField());
                long inserts =
                        table.insertStagedPastCursor(staged, stamp, stream.cursorField(), saved);
                return new WriteCounts(inserts, 0, 0);
            }
            case MERGE_DEDUPED -> {
                Map<String, Long> knownMtimes =
                        ledger.stream()
                                .collect(
                                        Collectors.toMap(
                                                LedgerEntry::path, LedgerEntry::mtimeMicros));
                return merge(table).merge(staged, changes.outdatedPaths(), knownMtimes, stamp);
            }
        }
        throw new IllegalStateException("unhandled write " + write);
    }

    private DedupeMerge merge(LandingTable table) throws SQLException {
        return new DedupeMerge(table, stream.primaryKey(), stream.cursorField());
    }

    /**
     * Saves the cursor of incremental streams that have one: the largest value now in the table,
     * which the next run compares against.
     */
    private String saveCursor(LandingTable table, StreamState savedState) throws SQLException {
        if (stream.hasCursor() && stream.syncMode().isIncremental()) {
            String cursor = table.maxAsText(stream.cursorField());
            state.saveState(
                    stream.name(),
                    new StreamState(stream.cursorField(), cursor),
                    stamp.jobId(),
                    stamp.extractedAt());
            return cursor;
        }
        if (!savedState.equals(StreamState.EMPTY) || plan.fullRefresh()) {
            state.saveState(stream.name(), StreamState.EMPTY, stamp.jobId(), stamp.extractedAt());
        }
        return null;
    }

    /**
     * When no delimiter is configured and a file's rows disagree on their number of fields,
     * DuckDB's sniffer falls back to reading each line as one column instead of failing. A header
     * that still holds a delimiter gives that away; stop rather than land the lines as single
     * strings.
     */
    private void checkDialectWasFound(StagedRows staged) throws SQLException {
        if (!SourcePlan.CSV.equals(plan.source().type())
                || plan.source().files().delimiter() != null
                || !plan.source().files().header()) {
            return;
        }
        for (Column column : staged.columns()) {
            if (column.name().chars().anyMatch(c -> SNIFFED_DELIMITERS.indexOf(c) >= 0)) {
                throw new SyncFailure(
                        String.format(
                                "DuckDB found no consistent CSV dialect in %s: its header was read"
                                        + " as the single column \"%s\", which usually means a row"
                                        + " has a different number of fields; set"
                                        + " source.files.delimiter to get the parser's error",
                                Objects.requireNonNullElse(
                                        staged.fileWithValueIn(column), "the files"),
                                column.name()));
            }
        }
    }

    private StreamResult result(
            LandingTable table,
            long rowsRead,
            WriteCounts counts,
            long bytes,
            int filesLoaded,
            int filesTotal,
            String cursor,
            long tableRowCount,
            List<FileEntry> files) {
        return new StreamResult(
                stream.name(),
                table.displayName(),
                stream.syncMode().wireName(),
                rowsRead,
                counts.written(),
                counts.inserts(),
                counts.updates(),
                counts.deletes(),
                bytes,
                tableRowCount,
                filesLoaded,
                filesTotal,
                cursor,
                files,
                null);
    }
}
