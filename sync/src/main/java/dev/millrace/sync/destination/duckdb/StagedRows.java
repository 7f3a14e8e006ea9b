package dev.millrace.sync.destination.duckdb;

import dev.millrace.sync.source.FileScan;
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
     * Parses {@code files} with one scan. Empty (zero-byte) files are listed but not read: DuckDB
     * cannot sniff a dialect from nothing, and they have no rows to give.
     */
    public static StagedRows stage(DuckDbSession session, List<SourceFile> files, FileScan scan)
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
                            + " AS SELECT "
                            + landedColumns(session, scan.tableFunction(readable, SOURCE_PATH))
                            + " FROM "
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

    /**
     * The select list that stages a scan: every column as read, except nested values (LIST, ARRAY,
     * STRUCT, MAP, UNION — from Parquet or JSON), which land as DuckDB {@code JSON}, and ENUMs and
     * all-null JSON keys, which land as VARCHAR. Nested type names embed field names taken from the
     * data, which this engine does not paste into SQL, and JSON keeps every value whatever shape
     * later files give it.
     */
    private static String landedColumns(DuckDbSession session, String tableFunction)
            throws SQLException {
        List<Column> scanned =
                session.query(
                        "DESCRIBE SELECT * FROM " + tableFunction,
                        row -> new Column(row.getString(1), row.getString(2)));
        List<String> select = new ArrayList<>();
        for (Column column : scanned) {
            String name = Sql.identifier(column.name());
            switch (kindOf(column.type())) {
                case NESTED -> select.add("to_json(" + name + ") AS " + name);
                case TEXT -> select.add("CAST(" + name + " AS VARCHAR) AS " + name);
                case PLAIN -> select.add(name);
            }
        }
        return String.join(", ", select);
    }

    private enum Kind {
        PLAIN,
        NESTED,
        /** ENUMs, and JSON keys that were null in every sampled object (type {@code "NULL"}). */
        TEXT
    }

    static Kind kindOf(String type) {
        if (type.endsWith("]")
                || type.startsWith("STRUCT(")
                || type.startsWith("MAP(")
                || type.startsWith("UNION(")) {
            return Kind.NESTED;
        }
        if (type.startsWith("ENUM(") || type.equals("\"NULL\"") || type.equals("NULL")) {
            return Kind.TEXT;
        }
        return Kind.PLAIN;
    }

    /**
     * Creates the empty staging table for rows that Java appends (a database source): the given
     * columns plus the source-path column, which the appender fills with {@code sourceLabel}.
     *
     * @return the qualified name to append to, as catalog, schema and table
     */
    public static String[] createAppendTarget(DuckDbSession session, List<Column> columns)
            throws SQLException {
        List<String> definitions = new ArrayList<>();
        for (Column column : columns) {
            definitions.add(Sql.identifier(column.name()) + " " + Sql.type(column.type()));
        }
        definitions.add(Sql.identifier(SOURCE_PATH) + " VARCHAR");
        session.update(
                "CREATE TEMP TABLE "
                        + DuckDbSession.tempTable(ROWS)
                        + " ("
                        + String.join(", ", definitions)
                        + ")");
        return new String[] {"temp", "main", ROWS};
    }

    /**
     * The staged rows of a database read, once appended: one pseudo-file stands for the read, with
     * no relative path (so {@code _millrace_file} stays NULL) and this run's time as its mtime (so
     * that a deduplicated merge prefers the rows just read over those already landed).
     */
    public static StagedRows appended(
            DuckDbSession session, List<Column> columns, String sourceLabel, long readAtMicros)
            throws SQLException {
        session.update(
                "CREATE TEMP TABLE "
                        + DuckDbSession.tempTable(FILES)
                        + " (absolute_path VARCHAR, relative_path VARCHAR, size BIGINT, mtime_us"
                        + " BIGINT)");
        session.update(
                "INSERT INTO "
                        + DuckDbSession.tempTable(FILES)
                        + " VALUES ("
                        + Sql.literal(sourceLabel)
                        + ", NULL, 0, "
                        + readAtMicros
                        + ")");
        long rowCount = session.queryLong("SELECT count(*) FROM " + DuckDbSession.tempTable(ROWS));
        return new StagedRows(session, List.copyOf(columns), rowCount, Map.of());
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

    /**
     * Writes the staged rows as headerless CSV, which PostgreSQL's {@code COPY … (FORMAT csv)}
     * reads: the given value expressions over the staged row {@code s}, then the row's file
     * (relative path, NULL for a database read), the file's mtime (µs) and the row's position in
     * staging. DuckDB writes NULL as an empty field and an empty string as {@code ""}, as COPY
     * expects.
     */
    public void exportCsv(java.nio.file.Path file, List<String> values) throws SQLException {
        List<String> select = new ArrayList<>(values);
        select.add("f.relative_path");
        select.add("f.mtime_us");
        select.add("s.rowid");
        session.update(
                "COPY (SELECT "
                        + String.join(", ", select)
                        + " FROM "
                        + FROM_ROWS_WITH_FILES
                        + ") TO "
                        + Sql.literal(file.toString())
                        + " (FORMAT csv, HEADER false)");
    }

    /** Drops the staging tables once the stream is applied, freeing their space for the next. */
    public void drop() throws SQLException {
        session.update("DROP TABLE IF EXISTS " + DuckDbSession.tempTable(ROWS));
        session.update("DROP TABLE IF EXISTS " + DuckDbSession.tempTable(FILES));
    }
}
