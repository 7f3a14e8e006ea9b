package dev.millrace.sync.destination.duckdb;

import dev.millrace.sync.source.csv.CsvScan;
import dev.millrace.sync.source.csv.SourceFile;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of this run's files, parsed by DuckDB into a temporary table inside the sync's
 * transaction, next to a table of the files themselves. Sync modes read from here, so the files are
 * parsed once whatever the mode does with them.
 */
public final class StagedRows {

    /** The column {@code read_csv} fills with each row's file, as DuckDB was given it. */
    static final String SOURCE_PATH = "_millrace_source_path";

    static final String ROWS = "_millrace_staged_rows";
    static final String FILES = "_millrace_staged_files";

    /** Joins each staged row {@code s} to its file {@code f} (relative path, size, mtime). */
    static final String FROM_ROWS_WITH_FILES =
            DuckDbSession.tempTable(ROWS)
                    + " s JOIN "
                    + DuckDbSession.tempTable(FILES)
                    + " f ON s."
                    + Sql.identifier(SOURCE_PATH)
                    + " = f.absolute_path";

    private final DuckDbSession session;
    private final List<Column> columns;
    private final long rowCount;
    private final Map<String, Long> rowsPerFile;

    private StagedRows(
            DuckDbSession session,
            List<Column> columns,
            long rowCount,
            Map<String, Long> rowsPerFile) {
        this.session = session;
        this.columns = columns;
        this.rowCount = rowCount;
        this.rowsPerFile = rowsPerFile;
    }

    /**
     * Parses {@code files} with one {@code read_csv}. Empty (zero-byte) files are listed but not
     * read: DuckDB cannot sniff a dialect from nothing, and they have no rows to give.
     */
    public static StagedRows stage(DuckDbSession session, List<SourceFile> files, CsvScan scan)
            throws SQLException {
        session.update(
                "CREATE TEMP TABLE "
                        + DuckDbSession.tempTable(FILES)
                        + " (absolute_path VARCHAR, relative_path VARCHAR, size BIGINT, mtime_us"
                        + " BIGINT)");
        List<List<Object>> fileRows = new ArrayList<>();
        for (SourceFile file : files) {
            fileRows.add(
                    List.of(
                            file.absolutePath().toString(),
                            file.relativePath(),
                            file.size(),
                            file.mtimeMicros()));
        }
        session.batch(
                "INSERT INTO " + DuckDbSession.tempTable(FILES) + " VALUES (?, ?, ?, ?)", fileRows);

        List<SourceFile> readable = files.stream().filter(file -> file.size() > 0).toList();
        if (readable.isEmpty()) {
            session.update(
                    "CREATE TEMP TABLE "
                            + DuckDbSession.tempTable(ROWS)
                            + " ("
                            + Sql.identifier(SOURCE_PATH)
                            + " VARCHAR)");
        } else {
            session.update(
                    "CREATE TEMP TABLE "
                            + DuckDbSession.tempTable(ROWS)
                            + " AS SELECT * FROM "
                            + scan.tableFunction(readable, SOURCE_PATH));
        }

        List<Column> columns =
                session
                        .query(
                                "SELECT column_name, data_type FROM duckdb_columns()"
                                        + " WHERE database_name = 'temp' AND table_name = "
                                        + Sql.literal(ROWS)
                                        + " ORDER BY column_index",
                                row -> new Column(row.getString(1), row.getString(2)))
                        .stream()
                        .filter(column -> !column.hasName(SOURCE_PATH))
                        .toList();
        long rowCount = session.queryLong("SELECT count(*) FROM " + DuckDbSession.tempTable(ROWS));
        Map<String, Long> rowsPerFile = new HashMap<>();
        for (SourceFile file : files) {
            rowsPerFile.put(file.relativePath(), 0L);
        }
        session.query(
                "SELECT f.relative_path, count(*) FROM "
                        + FROM_ROWS_WITH_FILES
                        + " GROUP BY f.relative_path",
                row -> rowsPerFile.put(row.getString(1), row.getLong(2)));
        long matched = rowsPerFile.values().stream().mapToLong(Long::longValue).sum();
        if (matched != rowCount) {
            // The join on file names is how rows learn their relative path; a mismatch would
            // silently drop rows, so it is a bug to stop on, not a condition to handle.
            throw new IllegalStateException(
                    "DuckDB reported file names that do not match the listed files ("
                            + matched
                            + " of "
                            + rowCount
                            + " rows matched)");
        }
        return new StagedRows(session, columns, rowCount, rowsPerFile);
    }

    /** The data columns of the files, in DuckDB's union-by-name order. */
    public List<Column> columns() {
        return columns;
    }

    public long rowCount() {
        return rowCount;
    }

    /** Rows per file, keyed by relative path; zero for empty files. */
    public Map<String, Long> rowsPerFile() {
        return rowsPerFile;
    }

    /**
     * The relative path of a file holding a value in {@code column}, to point a person at the file
     * whose dialect or header went wrong.
     */
    public String fileWithValueIn(Column column) throws SQLException {
        return session.queryString(
                "SELECT any_value(f.relative_path) FROM "
                        + FROM_ROWS_WITH_FILES
                        + " WHERE s."
                        + Sql.identifier(column.name())
                        + " IS NOT NULL");
    }

    /** Drops the staging tables once the stream is applied, freeing their space for the next. */
    public void drop() throws SQLException {
        session.update("DROP TABLE IF EXISTS " + DuckDbSession.tempTable(ROWS));
        session.update("DROP TABLE IF EXISTS " + DuckDbSession.tempTable(FILES));
    }
}
