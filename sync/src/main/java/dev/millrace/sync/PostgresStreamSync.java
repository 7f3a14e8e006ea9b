package dev.millrace.sync;

import dev.millrace.sync.destination.duckdb.Column;
import dev.millrace.sync.destination.duckdb.DuckDbSession;
import dev.millrace.sync.destination.duckdb.LandingTable;
import dev.millrace.sync.destination.duckdb.RowStamp;
import dev.millrace.sync.destination.duckdb.Sql;
import dev.millrace.sync.destination.duckdb.StagedRows;
import dev.millrace.sync.destination.duckdb.WriteCounts;
import dev.millrace.sync.destination.postgres.PostgresDestination;
import dev.millrace.sync.destination.postgres.PostgresTypes;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.plan.SyncPlan;
import dev.millrace.sync.result.FileEntry;
import dev.millrace.sync.result.StreamResult;
import dev.millrace.sync.result.SyncFailure;
import dev.millrace.sync.source.FileScan;
import dev.millrace.sync.source.StreamReader;
import dev.millrace.sync.source.csv.CsvFolder;
import dev.millrace.sync.source.csv.SourceFile;
import dev.millrace.sync.state.FileChanges;
import dev.millrace.sync.state.LedgerEntry;
import dev.millrace.sync.state.StreamState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One stream into a PostgreSQL destination, inside the destination's transaction. The source is
 * staged in a local DuckDB database exactly as for a DuckDB destination (DuckDB parses files;
 * database rows stream in through its Appender), DuckDB writes the staged rows as CSV, and {@code
 * COPY} loads that into a temporary table typed like the landing table — so a value the table's
 * column cannot hold fails the COPY with PostgreSQL's message. The sync mode is then applied in
 * SQL, and the ledger and cursor saved, all before the one commit.
 */
final class PostgresStreamSync {

    private static final String STAGE = "_millrace_stage";
    private static final String INCOMING = "_millrace_incoming";
    private static final String REMOVED_KEYS = "_millrace_removed_keys";
    private static final String KNOWN_FILES = "_millrace_known_files";
    private static final String FILE_MTIME = "_millrace_file_mtime";
    private static final String ROW = "_millrace_row";

    /** The metadata columns, as in a DuckDB landing table. */
    private static final List<Column> METADATA =
            List.of(
                    new Column(LandingTable.EXTRACTED_AT, "timestamptz"),
                    new Column(LandingTable.JOB_ID, "bigint"),
                    new Column(LandingTable.RAW_ID, "text"),
                    new Column(LandingTable.FILE, "text"));

    private enum Write {
        OVERWRITE,
        OVERWRITE_DEDUPED,
        APPEND_ALL,
        REPLACE_CHANGED_FILES,
        APPEND_AFTER_CURSOR,
        MERGE_DEDUPED;

        boolean readsAllFiles() {
            return this == OVERWRITE || this == OVERWRITE_DEDUPED || this == APPEND_ALL;
        }
    }

    private final SyncPlan plan;
    private final StreamPlan stream;
    private final DuckDbSession staging;
    private final PostgresDestination pg;
    private final RowStamp stamp;
    private final Path stagingFolder;
    private final SyncLog log;
    private final String table;

    PostgresStreamSync(
            SyncPlan plan,
            StreamPlan stream,
            DuckDbSession staging,
            PostgresDestination pg,
            RowStamp stamp,
            Path stagingFolder,
            SyncLog log) {
        this.plan = plan;
        this.stream = stream;
        this.staging = staging;
        this.pg = pg;
        this.stamp = stamp;
        this.stagingFolder = stagingFolder;
        this.log = log;
        this.table = pg.table(stream.name());
    }

    private String displayName() {
        return pg.schema() + "." + stream.name();
    }

    StreamResult runFiles(CsvFolder folder) throws SQLException, IOException {
        Write write = fileWrite();
        List<SourceFile> current = folder.list();
        boolean tableExists = pg.tableExists(stream.name());
        boolean freshStart = write.readsAllFiles() || !tableExists;
        List<LedgerEntry> ledger = freshStart ? List.of() : pg.ledger(stream.name());
        StreamState savedState = freshStart ? StreamState.EMPTY : pg.state(stream.name());
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
            log.info("stream " + stream.name() + ": no rows to land; table not created");
            pg.clearLedger(stream.name());
            return result(0, new WriteCounts(0, 0, 0), 0, 0, current.size(), null, 0, List.of());
        }
        long bytes = toLoad.stream().mapToLong(SourceFile::size).sum();
        log.info(
                String.format(
                        "stream %s: reading %d file(s), %d bytes",
                        stream.name(), toLoad.size(), bytes));
        StagedRows staged = StagedRows.stage(staging, toLoad, FileScan.of(plan.source()));
        log.info(String.format("stream %s: parsed %d row(s)", stream.name(), staged.rowCount()));

        Map<String, Long> knownMtimes =
                ledger.stream()
                        .collect(Collectors.toMap(LedgerEntry::path, LedgerEntry::mtimeMicros));
        Applied applied = apply(write, staged, changes.outdatedPaths(), knownMtimes, savedState);

        if (freshStart) {
            pg.clearLedger(stream.name());
        } else {
            pg.forgetFiles(stream.name(), changes.outdatedPaths());
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
        pg.recordFiles(stream.name(), loaded, stamp.jobId(), stamp.extractedAt());
        String cursor = saveCursor(savedState);
        long rowsRead = staged.rowCount();
        staged.drop();
        logApplied(applied, cursor);
        List<FileEntry> files =
                pg.ledger(stream.name()).stream()
                        .map(
                                entry ->
                                        new FileEntry(
                                                entry.path(),
                                                entry.size(),
                                                Instant.EPOCH.plus(
                                                        entry.mtimeMicros(), ChronoUnit.MICROS),
                                                entry.rows()))
                        .toList();
        return result(
                rowsRead,
                applied.counts(),
                bytes,
                toLoad.size(),
                current.size(),
                cursor,
                applied.rowsAfter(),
                files);
    }

    StreamResult runReader(StreamReader source) throws SQLException, IOException {
        SyncMode mode = stream.syncMode();
        boolean overwrite = plan.fullRefresh() || mode == SyncMode.FULL_REFRESH_OVERWRITE;
        boolean tableExists = pg.tableExists(stream.name());
        StreamState savedState =
                overwrite || !tableExists ? StreamState.EMPTY : pg.state(stream.name());
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
        long readAtMicros = ChronoUnit.MICROS.between(Instant.EPOCH, stamp.extractedAt());
        StagedRows staged = source.stage(staging, stream, savedCursor, readAtMicros);
        log.info(String.format("stream %s: read %d row(s)", stream.name(), staged.rowCount()));
        if (!tableExists && staged.rowCount() == 0) {
            staged.drop();
            log.info("stream " + stream.name() + ": no rows to land; table not created");
            return result(0, new WriteCounts(0, 0, 0), 0, 0, 0, null, 0, null);
        }
        Write write;
        if (overwrite) {
            write =
                    mode == SyncMode.INCREMENTAL_DEDUPED_HISTORY
                            ? Write.OVERWRITE_DEDUPED
                            : Write.OVERWRITE;
        } else {
            write =
                    switch (mode) {
                        case FULL_REFRESH_APPEND -> Write.APPEND_ALL;
                        case INCREMENTAL_APPEND -> Write.APPEND_AFTER_CURSOR;
                        default -> Write.MERGE_DEDUPED;
                    };
        }
        Applied applied = apply(write, staged, List.of(), Map.of(), savedState);
        String cursor = saveCursor(savedState);
        long rowsRead = staged.rowCount();
        staged.drop();
        logApplied(applied, cursor);
        return result(rowsRead, applied.counts(), 0, 0, 0, cursor, applied.rowsAfter(), null);
    }

    private record Applied(WriteCounts counts, long rowsAfter) {}

    private Write fileWrite() {
        SyncMode mode = stream.syncMode();
        if (plan.fullRefresh()) {
            return mode == SyncMode.INCREMENTAL_DEDUPED_HISTORY
                    ? Write.OVERWRITE_DEDUPED
                    : Write.OVERWRITE;
        }
        return switch (mode) {
            case FULL_REFRESH_OVERWRITE -> Write.OVERWRITE;
            case FULL_REFRESH_APPEND -> Write.APPEND_ALL;
            case INCREMENTAL_APPEND ->
                    stream.hasCursor() ? Write.APPEND_AFTER_CURSOR : Write.REPLACE_CHANGED_FILES;
            case INCREMENTAL_DEDUPED_HISTORY -> Write.MERGE_DEDUPED;
        };
    }

    /** Evolves the table, copies the staged rows in and applies the write. */
    private Applied apply(
            Write write,
            StagedRows staged,
            List<String> outdated,
            Map<String, Long> knownMtimes,
            StreamState savedState)
            throws SQLException, IOException {
        for (String change : evolveFor(staged.columns())) {
            log.info("stream " + stream.name() + ": " + change);
        }
        List<Column> existing = pg.columns(stream.name());
        List<String> dataColumns = new ArrayList<>();
        List<String> definitions = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Column incoming : staged.columns()) {
            Column target = Column.named(existing, incoming.name()).orElseThrow();
            dataColumns.add(target.name());
            definitions.add(
                    Sql.identifier(target.name()) + " " + PostgresTypes.checked(target.type()));
            values.add(
                    PostgresTypes.csvValue(
                            incoming.type(), "s." + Sql.identifier(incoming.name())));
        }
        if (stream.hasCursor()
                && (stream.syncMode().isIncremental())
                && staged.rowCount() > 0
                && Column.named(staged.columns(), stream.cursorField()).isEmpty()) {
            throw new SyncFailure(
                    "cursorField \"" + stream.cursorField() + "\" is not a column of the source");
        }
        definitions.add(Sql.identifier(LandingTable.FILE) + " text");
        definitions.add(Sql.identifier(FILE_MTIME) + " bigint");
        definitions.add(Sql.identifier(ROW) + " bigint");
        pg.update("DROP TABLE IF EXISTS " + STAGE);
        pg.update(
                "CREATE TEMP TABLE "
                        + STAGE
                        + " ("
                        + String.join(", ", definitions)
                        + ") ON COMMIT DROP");
        if (staged.rowCount() > 0) {
            copyStaged(staged, values);
            pg.update("ANALYZE " + STAGE);
        }

        long rowsBefore = pg.queryLong("SELECT count(*) FROM " + table);
        String saved = savedState.cursorFor(stream.cursorField());
        WriteCounts counts =
                switch (write) {
                    case OVERWRITE -> {
                        pg.update("TRUNCATE " + table);
                        yield new WriteCounts(insert(dataColumns, STAGE, null), 0, rowsBefore);
                    }
                    case OVERWRITE_DEDUPED -> {
                        pg.update("TRUNCATE " + table);
                        WriteCounts merged =
                                merge(dataColumns, List.of(), Map.of(), staged.rowCount());
                        yield new WriteCounts(merged.inserts(), 0, rowsBefore);
                    }
                    case APPEND_ALL -> new WriteCounts(insert(dataColumns, STAGE, null), 0, 0);
                    case REPLACE_CHANGED_FILES -> {
                        long deletes = deleteRowsOfFiles(outdated);
                        yield new WriteCounts(insert(dataColumns, STAGE, null), 0, deletes);
                    }
                    case APPEND_AFTER_CURSOR -> {
                        String filter = null;
                        if (saved != null) {
                            Column cursor = column(existing, stream.cursorField());
                            filter =
                                    "s."
                                            + Sql.identifier(cursor.name())
                                            + " > CAST("
                                            + Sql.literal(saved)
                                            + " AS "
                                            + PostgresTypes.checked(cursor.type())
                                            + ")";
                        }
                        yield new WriteCounts(insert(dataColumns, STAGE, filter), 0, 0);
                    }
                    case MERGE_DEDUPED ->
                            merge(dataColumns, outdated, knownMtimes, staged.rowCount());
                };
        long rowsAfter = pg.queryLong("SELECT count(*) FROM " + table);
        if (rowsBefore > 0 && rowsAfter == 0 && !plan.allowEmptyReplace()) {
            throw new SyncFailure(
                    String.format(
                            "refusing to replace %d rows of %s with an empty result; set"
                                    + " allowEmptyReplace",
                            rowsBefore, displayName()));
        }
        pg.update("DROP TABLE " + STAGE);
        return new Applied(counts, rowsAfter);
    }

    /**
     * DuckDB writes the staged rows as CSV into the local staging folder, and COPY streams the file
     * to the server; Java touches no row.
     */
    private void copyStaged(StagedRows staged, List<String> values)
            throws SQLException, IOException {
        // timestamptz values print with the session's offset; UTC keeps them exact and readable.
        staging.update("SET TimeZone = 'UTC'");
        Path csv = stagingFolder.resolve("stage-" + stamp.jobId() + ".csv");
        try {
            staged.exportCsv(csv, values);
            log.info("stream " + stream.name() + ": staged rows written for COPY");
            try (InputStream in = Files.newInputStream(csv)) {
                long copied = pg.copyCsv(STAGE, in);
                log.info(
                        String.format(
                                "stream %s: copied %d row(s) into PostgreSQL staging",
                                stream.name(), copied));
            }
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    /** Creates the table or adds the columns it lacks; a column no longer sent stays. */
    private List<String> evolveFor(List<Column> incoming) throws SQLException {
        for (Column column : incoming) {
            if (column.name().toLowerCase(Locale.ROOT).startsWith(LandingTable.RESERVED_PREFIX)) {
                throw new SyncFailure(
                        "source column \""
                                + column.name()
                                + "\" uses the reserved prefix "
                                + LandingTable.RESERVED_PREFIX);
            }
        }
        List<Column> wanted = new ArrayList<>();
        for (Column column : incoming) {
            wanted.add(new Column(column.name(), PostgresTypes.of(column.type())));
        }
        wanted.addAll(METADATA);
        List<String> changes = new ArrayList<>();
        if (!pg.tableExists(stream.name())) {
            pg.update("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(pg.schema()));
            pg.update(
                    "CREATE TABLE "
                            + table
                            + " ("
                            + wanted.stream()
                                    .map(
                                            column ->
                                                    Sql.identifier(column.name())
                                                            + " "
                                                            + column.type())
                                    .collect(Collectors.joining(", "))
                            + ")");
            changes.add(
                    "created table " + displayName() + " with " + incoming.size() + " column(s)");
            return changes;
        }
        List<Column> existing = pg.columns(stream.name());
        for (Column column : wanted) {
            if (Column.named(existing, column.name()).isEmpty()) {
                pg.update(
                        "ALTER TABLE "
                                + table
                                + " ADD COLUMN "
                                + Sql.identifier(column.name())
                                + " "
                                + column.type());
                changes.add("added column " + column.name() + " " + column.type());
            }
        }
        return changes;
    }

    private long insert(List<String> dataColumns, String from, String filter) throws SQLException {
        List<String> columns = new ArrayList<>(dataColumns);
        List<String> values = new ArrayList<>();
        for (String column : dataColumns) {
            values.add("s." + Sql.identifier(column));
        }
        columns.add(LandingTable.EXTRACTED_AT);
        columns.add(LandingTable.JOB_ID);
        columns.add(LandingTable.RAW_ID);
        columns.add(LandingTable.FILE);
        values.add("CAST(" + Sql.literal(stamp.extractedAt().toString()) + " AS timestamptz)");
        values.add(Long.toString(stamp.jobId()));
        values.add("CAST(gen_random_uuid() AS text)");
        values.add("s." + Sql.identifier(LandingTable.FILE));
        return pg.update(
                "INSERT INTO "
                        + table
                        + " ("
                        + Sql.identifiers(columns)
                        + ") SELECT "
                        + String.join(", ", values)
                        + " FROM "
                        + from
                        + " s"
                        + (filter == null ? "" : " WHERE " + filter));
    }

    private long deleteRowsOfFiles(List<String> paths) throws SQLException {
        if (paths.isEmpty()) {
            return 0;
        }
        return pg.update("DELETE FROM " + table + " WHERE " + filesIn(paths));
    }

    private static String filesIn(List<String> paths) {
        return Sql.identifier(LandingTable.FILE)
                + " IN ("
                + paths.stream().map(Sql::literal).collect(Collectors.joining(", "))
                + ")";
    }

    /**
     * {@code incremental_deduped_history}: the latest staged row per key (cursor, then file mtime,
     * path and position, as in the DuckDB destination) replaces the table's row when it is newer;
     * rows of replaced files are removed first, and a removed key that comes back is an update.
     */
    private WriteCounts merge(
            List<String> dataColumns,
            List<String> replacedFiles,
            Map<String, Long> knownMtimes,
            long stagedRows)
            throws SQLException {
        if (stagedRows == 0) {
            // Nothing new (e.g. the files were committed by a run that was killed right after):
            // there are no staged columns to check the key against, only replaced files to drop.
            return new WriteCounts(0, 0, deleteRowsOfFiles(replacedFiles));
        }
        List<Column> existing = pg.columns(stream.name());
        List<String> keys = new ArrayList<>();
        for (String key : stream.primaryKey()) {
            Column column = column(existing, key);
            if (dataColumns.stream().noneMatch(name -> name.equals(column.name()))) {
                throw new SyncFailure("primary key column \"" + key + "\" is not in the source");
            }
            keys.add(column.name());
        }
        String cursor =
                stream.cursorField() == null ? null : column(existing, stream.cursorField()).name();
        List<String[]> nullKeys =
                pg.query(
                        "SELECT count(*), min("
                                + Sql.identifier(LandingTable.FILE)
                                + ") FROM "
                                + STAGE
                                + " WHERE "
                                + keys.stream()
                                        .map(key -> Sql.identifier(key) + " IS NULL")
                                        .collect(Collectors.joining(" OR ")),
                        row -> new String[] {row.getString(1), row.getString(2)});
        if (Long.parseLong(nullKeys.get(0)[0]) > 0) {
            throw new SyncFailure(
                    String.format(
                            "primary key (%s) is NULL in %s row(s), for example in %s; a"
                                    + " deduplicated stream needs a key on every row",
                            String.join(", ", keys), nullKeys.get(0)[0], nullKeys.get(0)[1]));
        }
        String keyList = Sql.identifiers(keys);
        pg.update("DROP TABLE IF EXISTS " + REMOVED_KEYS);
        pg.update(
                "CREATE TEMP TABLE "
                        + REMOVED_KEYS
                        + " ON COMMIT DROP AS SELECT DISTINCT "
                        + keyList
                        + " FROM "
                        + table
                        + " WHERE "
                        + (replacedFiles.isEmpty() ? "false" : filesIn(replacedFiles)));
        deleteRowsOfFiles(replacedFiles);

        String order =
                (cursor == null ? "" : Sql.identifier(cursor) + " DESC NULLS LAST, ")
                        + Sql.identifier(FILE_MTIME)
                        + " DESC NULLS LAST, "
                        + Sql.identifier(LandingTable.FILE)
                        + " DESC NULLS LAST, "
                        + Sql.identifier(ROW)
                        + " DESC";
        pg.update("DROP TABLE IF EXISTS " + INCOMING);
        pg.update(
                "CREATE TEMP TABLE "
                        + INCOMING
                        + " ON COMMIT DROP AS SELECT DISTINCT ON ("
                        + keyList
                        + ") * FROM "
                        + STAGE
                        + " ORDER BY "
                        + keyList
                        + ", "
                        + order);
        // Autovacuum never analyzes temporary tables; without statistics the planner guesses
        // tiny tables and picks nested loops.
        pg.update("ANALYZE " + INCOMING);

        pg.update("DROP TABLE IF EXISTS " + KNOWN_FILES);
        pg.update(
                "CREATE TEMP TABLE "
                        + KNOWN_FILES
                        + " (path text, mtime_us bigint) ON COMMIT DROP");
        if (!knownMtimes.isEmpty()) {
            pg.update(
                    "INSERT INTO "
                            + KNOWN_FILES
                            + " VALUES "
                            + knownMtimes.entrySet().stream()
                                    .map(
                                            entry ->
                                                    "("
                                                            + Sql.literal(entry.getKey())
                                                            + ", "
                                                            + entry.getValue()
                                                            + ")")
                                    .collect(Collectors.joining(", ")));
        }
        // An incoming row loses to the table's row for its key when the table's is later in the
        // same order; the table's rows take their file's mtime from the ledger.
        String c = cursor == null ? "" : Sql.identifier(cursor) + " AS c, ";
        String incomingSide =
                "SELECT "
                        + keyList
                        + ", 'incoming' AS origin, "
                        + c
                        + Sql.identifier(FILE_MTIME)
                        + " AS m, "
                        + Sql.identifier(LandingTable.FILE)
                        + " AS p, "
                        + Sql.identifier(ROW)
                        + " AS r FROM "
                        + INCOMING;
        String existingSide =
                "SELECT "
                        + keys.stream()
                                .map(key -> "t." + Sql.identifier(key))
                                .collect(Collectors.joining(", "))
                        + ", 'existing', "
                        + (cursor == null ? "" : "t." + Sql.identifier(cursor) + ", ")
                        + "k.mtime_us, t."
                        + Sql.identifier(LandingTable.FILE)
                        + ", -1 FROM "
                        + table
                        + " t LEFT JOIN "
                        + KNOWN_FILES
                        + " k ON k.path = t."
                        + Sql.identifier(LandingTable.FILE)
                        + " WHERE EXISTS (SELECT 1 FROM "
                        + INCOMING
                        + " i WHERE "
                        + keysMatch(keys, "t", "i")
                        + ")";
        String rankOrder =
                (cursor == null ? "" : "c DESC NULLS LAST, ")
                        + "m DESC NULLS LAST, p DESC NULLS LAST, r DESC";
        pg.update(
                "DELETE FROM "
                        + INCOMING
                        + " WHERE "
                        + Sql.identifier(ROW)
                        + " IN (SELECT r FROM (SELECT origin, r, row_number() OVER (PARTITION BY "
                        + keyList
                        + " ORDER BY "
                        + rankOrder
                        + ") AS rn FROM ("
                        + incomingSide
                        + " UNION ALL "
                        + existingSide
                        + ") sides) ranked WHERE origin = 'incoming' AND rn > 1)");

        // One EXISTS over a UNION rather than two OR'ed ones, which PostgreSQL would run as a
        // subquery per incoming row instead of a hash semi-join.
        long updates =
                pg.queryLong(
                        "SELECT count(*) FROM "
                                + INCOMING
                                + " i WHERE EXISTS (SELECT 1 FROM (SELECT "
                                + keyList
                                + " FROM "
                                + table
                                + " UNION ALL SELECT "
                                + keyList
                                + " FROM "
                                + REMOVED_KEYS
                                + ") k WHERE "
                                + keysMatch(keys, "k", "i")
                                + ")");
        long deletes =
                pg.queryLong(
                        "SELECT count(*) FROM "
                                + REMOVED_KEYS
                                + " r WHERE NOT EXISTS (SELECT 1 FROM "
                                + INCOMING
                                + " i WHERE "
                                + keysMatch(keys, "r", "i")
                                + ")");
        pg.update(
                "DELETE FROM "
                        + table
                        + " t WHERE EXISTS (SELECT 1 FROM "
                        + INCOMING
                        + " i WHERE "
                        + keysMatch(keys, "t", "i")
                        + ")");
        long written = insert(dataColumns, INCOMING, null);
        for (String temp : List.of(INCOMING, REMOVED_KEYS, KNOWN_FILES)) {
            pg.update("DROP TABLE " + temp);
        }
        return new WriteCounts(written - updates, updates, deletes);
    }

    private static String keysMatch(List<String> keys, String left, String right) {
        return keys.stream()
                .map(
                        key ->
                                left
                                        + "."
                                        + Sql.identifier(key)
                                        + " = "
                                        + right
                                        + "."
                                        + Sql.identifier(key))
                .collect(Collectors.joining(" AND "));
    }

    private Column column(List<Column> columns, String name) {
        return Column.named(columns, name)
                .orElseThrow(
                        () ->
                                new SyncFailure(
                                        "column \"" + name + "\" is not in " + displayName()));
    }

    private String saveCursor(StreamState savedState) throws SQLException {
        if (stream.hasCursor() && stream.syncMode().isIncremental()) {
            Column column = column(pg.columns(stream.name()), stream.cursorField());
            String cursor =
                    pg.queryString(
                            "SELECT CAST(max("
                                    + Sql.identifier(column.name())
                                    + ") AS text) FROM "
                                    + table);
            pg.saveState(
                    stream.name(),
                    new StreamState(stream.cursorField(), cursor),
                    stamp.jobId(),
                    stamp.extractedAt());
            return cursor;
        }
        if (!savedState.equals(StreamState.EMPTY) || plan.fullRefresh()) {
            pg.saveState(stream.name(), StreamState.EMPTY, stamp.jobId(), stamp.extractedAt());
        }
        return null;
    }

    private void logApplied(Applied applied, String cursor) {
        log.info(
                String.format(
                        "stream %s: %d insert(s), %d update(s), %d delete(s); %s has %d row(s)%s",
                        stream.name(),
                        applied.counts().inserts(),
                        applied.counts().updates(),
                        applied.counts().deletes(),
                        displayName(),
                        applied.rowsAfter(),
                        cursor == null ? "" : "; cursor " + stream.cursorField() + " = " + cursor));
    }

    private StreamResult result(
            long rowsRead,
            WriteCounts counts,
            long bytes,
            int filesLoaded,
            int filesTotal,
            String cursor,
            long rows,
            List<FileEntry> files) {
        return new StreamResult(
                stream.name(),
                displayName(),
                stream.syncMode().wireName(),
                rowsRead,
                counts.written(),
                counts.inserts(),
                counts.updates(),
                counts.deletes(),
                bytes,
                rows,
                filesLoaded,
                filesTotal,
                cursor,
                files,
                null);
    }
}
