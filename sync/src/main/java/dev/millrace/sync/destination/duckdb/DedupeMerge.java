package dev.millrace.sync.destination.duckdb;

import dev.millrace.sync.result.SyncFailure;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code incremental_deduped_history}'s write: the table keeps one row per primary key, the latest.
 * "Latest" orders by the cursor when the stream has one, then by the file's modification time, then
 * its path, then the row's position in the file, so a key's last row in the newest file wins when
 * there is no cursor. Rows already in the table take part with their file's mtime from the ledger.
 */
public final class DedupeMerge {

    private static final String INCOMING = "_millrace_incoming";
    private static final String REMOVED_KEYS = "_millrace_removed_keys";
    private static final String KNOWN_FILES = "_millrace_known_files";

    private static final String FILE_MTIME = "_millrace_file_mtime";
    private static final String ROW = "_millrace_row";
    private static final String RANK = "_millrace_rank";

    private final LandingTable table;
    private final DuckDbSession session;
    private final List<String> keys;
    private final String cursor;

    /**
     * @param primaryKey key columns as the plan names them (matched case-insensitively)
     * @param cursorField the ordering column, or null
     */
    public DedupeMerge(LandingTable table, List<String> primaryKey, String cursorField)
            throws SQLException {
        this.table = table;
        this.session = table.session();
        List<String> spelled = new ArrayList<>();
        for (String key : primaryKey) {
            spelled.add(table.column(key).name());
        }
        this.keys = List.copyOf(spelled);
        this.cursor = cursorField == null ? null : table.column(cursorField).name();
    }

    /**
     * Merges the staged rows into the table.
     *
     * @param replacedFiles relative paths whose rows in the table are outdated (the file changed or
     *     disappeared); their rows are removed first, and a removed key that comes back counts as
     *     an update
     * @param knownFileMtimes modification times (µs) of files already loaded, from the ledger
     */
    public WriteCounts merge(
            StagedRows staged,
            Collection<String> replacedFiles,
            Map<String, Long> knownFileMtimes,
            RowStamp stamp)
            throws SQLException {
        if (staged.rowCount() == 0) {
            // Keys are unique in the table, so each removed row is a removed key.
            return new WriteCounts(0, 0, table.deleteRowsOfFiles(replacedFiles));
        }
        stageLatestPerKey(staged);
        session.update(
                "CREATE TEMP TABLE "
                        + DuckDbSession.tempTable(REMOVED_KEYS)
                        + " AS SELECT DISTINCT "
                        + Sql.identifiers(keys)
                        + " FROM "
                        + table.qualifiedName()
                        + " WHERE "
                        + (replacedFiles.isEmpty()
                                ? "false"
                                : Sql.identifier(LandingTable.FILE)
                                        + " IN ("
                                        + replacedFiles.stream()
                                                .map(Sql::literal)
                                                .collect(Collectors.joining(", "))
                                        + ")"));
        table.deleteRowsOfFiles(replacedFiles);
        stageKnownFiles(knownFileMtimes);
        dropIncomingRowsOlderThanTable();

        String incoming = DuckDbSession.tempTable(INCOMING);
        String removedKeys = DuckDbSession.tempTable(REMOVED_KEYS);
        long updates =
                session.queryLong(
                        "SELECT count(*) FROM "
                                + incoming
                                + " i WHERE EXISTS (SELECT 1 FROM "
                                + table.qualifiedName()
                                + " t WHERE "
                                + keysMatch("t", "i")
                                + ") OR EXISTS (SELECT 1 FROM "
                                + removedKeys
                                + " r WHERE "
                                + keysMatch("r", "i")
                                + ")");
        long deletes =
                session.queryLong(
                        "SELECT count(*) FROM "
                                + removedKeys
                                + " r WHERE NOT EXISTS (SELECT 1 FROM "
                                + incoming
                                + " i WHERE "
                                + keysMatch("r", "i")
                                + ")");
        session.update(
                "DELETE FROM "
                        + table.qualifiedName()
                        + " t WHERE EXISTS (SELECT 1 FROM "
                        + incoming
                        + " i WHERE "
                        + keysMatch("t", "i")
                        + ")");
        List<String> values = new ArrayList<>();
        for (Column column : staged.columns()) {
            values.add("i." + Sql.identifier(table.column(column.name()).name()));
        }
        values.addAll(LandingTable.metadataValues(stamp, "i." + Sql.identifier(LandingTable.FILE)));
        long written =
                session.update(
                        "INSERT INTO "
                                + table.qualifiedName()
                                + " ("
                                + Sql.identifiers(table.insertColumns(staged))
                                + ") SELECT "
                                + String.join(", ", values)
                                + " FROM "
                                + incoming
                                + " i");
        // Only on success: after a failure the rollback discards them, and the aborted
        // transaction would refuse the DROP and hide the real error.
        for (String temp : List.of(INCOMING, REMOVED_KEYS, KNOWN_FILES)) {
            session.update("DROP TABLE " + DuckDbSession.tempTable(temp));
        }
        return new WriteCounts(written - updates, updates, deletes);
    }

    /** One row per key from this run's files, cast to the table's types. */
    private void stageLatestPerKey(StagedRows staged) throws SQLException {
        for (String key : keys) {
            if (Column.named(staged.columns(), key).isEmpty()) {
                throw new SyncFailure("primary key column \"" + key + "\" is not in the new files");
            }
        }
        List<String> keyValues = new ArrayList<>();
        for (String key : keys) {
            keyValues.add(table.conformedValue(staged, key));
        }
        List<String[]> nullKeys =
                session.query(
                        "SELECT count(*), any_value(f.relative_path) FROM "
                                + StagedRows.FROM_ROWS_WITH_FILES
                                + " WHERE "
                                + keyValues.stream()
                                        .map(value -> value + " IS NULL")
                                        .collect(Collectors.joining(" OR ")),
                        row -> new String[] {row.getString(1), row.getString(2)});
        if (Long.parseLong(nullKeys.get(0)[0]) > 0) {
            throw new SyncFailure(
                    String.format(
                            "primary key (%s) is NULL in %s row(s), for example in %s; a"
                                    + " deduplicated stream needs a key on every row",
                            String.join(", ", keys), nullKeys.get(0)[0], nullKeys.get(0)[1]));
        }
        List<String> order = new ArrayList<>();
        if (cursor != null) {
            order.add(table.conformedValue(staged, cursor) + " DESC NULLS LAST");
        }
        order.add("f.mtime_us DESC");
        order.add("f.relative_path DESC");
        order.add("s.rowid DESC");
        List<String> columns = new ArrayList<>(table.conformedColumns(staged));
        columns.add("f.relative_path AS " + Sql.identifier(LandingTable.FILE));
        columns.add("f.mtime_us AS " + Sql.identifier(FILE_MTIME));
        // rowid follows insertion order, which DuckDB keeps equal to file order when staging.
        columns.add("s.rowid AS " + Sql.identifier(ROW));
        columns.add(
                "row_number() OVER (PARTITION BY "
                        + String.join(", ", keyValues)
                        + " ORDER BY "
                        + String.join(", ", order)
                        + ") AS "
                        + Sql.identifier(RANK));
        session.update(
                "CREATE TEMP TABLE "
                        + DuckDbSession.tempTable(INCOMING)
                        + " AS SELECT * EXCLUDE ("
                        + Sql.identifier(RANK)
                        + ") FROM (SELECT "
                        + String.join(", ", columns)
                        + " FROM "
                        + StagedRows.FROM_ROWS_WITH_FILES
                        + ") WHERE "
                        + Sql.identifier(RANK)
                        + " = 1");
    }

    private void stageKnownFiles(Map<String, Long> knownFileMtimes) throws SQLException {
        session.update(
                "CREATE TEMP TABLE "
                        + DuckDbSession.tempTable(KNOWN_FILES)
                        + " (path VARCHAR, mtime_us BIGINT)");
        List<List<Object>> rows = new ArrayList<>();
        knownFileMtimes.forEach((path, mtime) -> rows.add(List.of(path, mtime)));
        session.batch(
                "INSERT INTO " + DuckDbSession.tempTable(KNOWN_FILES) + " VALUES (?, ?)", rows);
    }

    /**
     * Ranks each incoming row against the table's row with the same key, using the same order as
     * within the batch, and drops the incoming rows that lose.
     */
    private void dropIncomingRowsOlderThanTable() throws SQLException {
        String incoming = DuckDbSession.tempTable(INCOMING);
        String keyList = Sql.identifiers(keys);
        String cursorColumn = cursor == null ? "" : Sql.identifier(cursor) + " AS c, ";
        String incomingSide =
                "SELECT "
                        + keyList
                        + ", 'incoming' AS origin, "
                        + cursorColumn
                        + Sql.identifier(FILE_MTIME)
                        + " AS m, "
                        + Sql.identifier(LandingTable.FILE)
                        + " AS p, "
                        + Sql.identifier(ROW)
                        + " AS r FROM "
                        + incoming;
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
                        + table.qualifiedName()
                        + " t LEFT JOIN "
                        + DuckDbSession.tempTable(KNOWN_FILES)
                        + " k ON k.path = t."
                        + Sql.identifier(LandingTable.FILE)
                        + " WHERE EXISTS (SELECT 1 FROM "
                        + incoming
                        + " i WHERE "
                        + keysMatch("t", "i")
                        + ")";
        String order =
                (cursor == null ? "" : "c DESC NULLS LAST, ") + "m DESC NULLS LAST, p DESC, r DESC";
        session.update(
                "DELETE FROM "
                        + incoming
                        + " WHERE "
                        + Sql.identifier(ROW)
                        + " IN (SELECT r FROM (SELECT origin, r, row_number() OVER (PARTITION BY "
                        + keyList
                        + " ORDER BY "
                        + order
                        + ") AS rn FROM ("
                        + incomingSide
                        + " UNION ALL "
                        + existingSide
                        + ")) WHERE origin = 'incoming' AND rn > 1)");
    }

    private String keysMatch(String left, String right) {
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
}
