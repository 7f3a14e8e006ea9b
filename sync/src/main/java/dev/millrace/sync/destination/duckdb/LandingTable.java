package dev.millrace.sync.destination.duckdb;

import dev.millrace.sync.result.SyncFailure;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A stream's table in the destination: {@code "<schema>"."<stream>"} with the stream's columns and
 * Millrace's metadata columns. Every change happens inside the session's transaction.
 */
public final class LandingTable {

    public static final String EXTRACTED_AT = "_millrace_extracted_at";
    public static final String JOB_ID = "_millrace_job_id";
    public static final String RAW_ID = "_millrace_raw_id";
    public static final String FILE = "_millrace_file";

    /** Source columns may not use this prefix: it would collide with the metadata columns. */
    public static final String RESERVED_PREFIX = "_millrace_";

    static final List<Column> METADATA_COLUMNS =
            List.of(
                    new Column(EXTRACTED_AT, "TIMESTAMP WITH TIME ZONE"),
                    new Column(JOB_ID, "BIGINT"),
                    new Column(RAW_ID, "VARCHAR"),
                    new Column(FILE, "VARCHAR"));

    private final DuckDbSession session;
    private final String schema;
    private final String name;
    private final String qualifiedName;

    public LandingTable(DuckDbSession session, String schema, String name) {
        this.session = session;
        this.schema = schema;
        this.name = name;
        this.qualifiedName = session.table(schema, name);
    }

    /** {@code schema.table} as people write it, for results and logs. */
    public String displayName() {
        return schema + "." + name;
    }

    String qualifiedName() {
        return qualifiedName;
    }

    DuckDbSession session() {
        return session;
    }

    public boolean exists() throws SQLException {
        return session.queryLong(
                        "SELECT count(*) FROM duckdb_tables() WHERE database_name = "
                                + Sql.literal(session.catalog())
                                + " AND schema_name = "
                                + Sql.literal(schema)
                                + " AND table_name = "
                                + Sql.literal(name))
                > 0;
    }

    public List<Column> columns() throws SQLException {
        return session.query(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = "
                        + Sql.literal(session.catalog())
                        + " AND schema_name = "
                        + Sql.literal(schema)
                        + " AND table_name = "
                        + Sql.literal(name)
                        + " ORDER BY column_index",
                row -> new Column(row.getString(1), row.getString(2)));
    }

    public long rowCount() throws SQLException {
        return session.queryLong("SELECT count(*) FROM " + qualifiedName);
    }

    /**
     * Makes the table able to hold {@code incoming}: creates it, or adds the columns it lacks. A
     * column the new files no longer have stays, and their rows get NULL in it. Types of existing
     * columns never change here; {@link #checkLosslessCasts} refuses values that do not fit.
     *
     * @return one line per change, for the Job's log
     */
    public List<String> evolveFor(List<Column> incoming) throws SQLException {
        for (Column column : incoming) {
            if (column.name().toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX)) {
                throw new SyncFailure(
                        "source column \""
                                + column.name()
                                + "\" uses the reserved prefix "
                                + RESERVED_PREFIX);
            }
        }
        List<String> changes = new ArrayList<>();
        if (!exists()) {
            List<Column> all = new ArrayList<>(incoming);
            all.addAll(METADATA_COLUMNS);
            session.update(
                    "CREATE SCHEMA IF NOT EXISTS "
                            + Sql.identifier(session.catalog())
                            + "."
                            + Sql.identifier(schema));
            session.update(
                    "CREATE TABLE "
                            + qualifiedName
                            + " ("
                            + all.stream()
                                    .map(
                                            column ->
                                                    Sql.identifier(column.name())
                                                            + " "
                                                            + Sql.type(column.type()))
                                    .collect(Collectors.joining(", "))
                            + ")");
            changes.add(
                    "created table " + displayName() + " with " + incoming.size() + " column(s)");
            return changes;
        }
        List<Column> existing = columns();
        List<Column> wanted = new ArrayList<>(incoming);
        wanted.addAll(METADATA_COLUMNS);
        for (Column column : wanted) {
            if (Column.named(existing, column.name()).isEmpty()) {
                session.update(
                        "ALTER TABLE "
                                + qualifiedName
                                + " ADD COLUMN "
                                + Sql.identifier(column.name())
                                + " "
                                + Sql.type(column.type()));
                changes.add("added column " + column.name() + " " + column.type());
            }
        }
        return changes;
    }

    /**
     * Refuses incoming values that would change when stored in an existing column of another type:
     * text that does not parse, or a value that does not survive the round trip (2.5 into BIGINT).
     * Widening a column is a decision for a person, so it is never done silently.
     */
    public void checkLosslessCasts(StagedRows staged) throws SQLException {
        List<Column> existing = columns();
        for (Column incoming : staged.columns()) {
            Column target = Column.named(existing, incoming.name()).orElseThrow();
            if (target.type().equals(incoming.type())) {
                continue;
            }
            String value = "s." + Sql.identifier(incoming.name());
            String converted = "TRY_CAST(" + value + " AS " + Sql.type(target.type()) + ")";
            // Text is parsed, not round-tripped: "1.50" stored as 1.5 loses nothing a reader
            // cares about, but round-tripping would call it lossy.
            String lost =
                    incoming.type().equals("VARCHAR")
                            ? converted + " IS NULL"
                            : converted
                                    + " IS NULL OR CAST("
                                    + converted
                                    + " AS "
                                    + Sql.type(incoming.type())
                                    + ") IS DISTINCT FROM "
                                    + value;
            List<String[]> offenders =
                    session.query(
                            "SELECT count(*), any_value(CAST("
                                    + value
                                    + " AS VARCHAR)), any_value(f.relative_path) FROM "
                                    + StagedRows.FROM_ROWS_WITH_FILES
                                    + " WHERE "
                                    + value
                                    + " IS NOT NULL AND ("
                                    + lost
                                    + ")",
                            row ->
                                    new String[] {
                                        row.getString(1), row.getString(2), row.getString(3)
                                    });
            String[] found = offenders.get(0);
            if (Long.parseLong(found[0]) > 0) {
                throw new SyncFailure(
                        String.format(
                                "column \"%s\" of %s is %s but the new files hold %s: %s value(s)"
                                        + " cannot be stored as %s without change (for example"
                                        + " \"%s\" in %s); widen the column explicitly, e.g. ALTER"
                                        + " TABLE %s ALTER COLUMN %s TYPE %s",
                                target.name(),
                                displayName(),
                                target.type(),
                                incoming.type(),
                                found[0],
                                target.type(),
                                found[1],
                                found[2],
                                qualifiedName,
                                Sql.identifier(target.name()),
                                incoming.type()));
            }
        }
    }

    /**
     * Expressions reading the staged columns as the table's types, aliased to the column names.
     * Only the incoming columns are listed: an INSERT naming only them leaves the others NULL.
     */
    List<String> conformedColumns(StagedRows staged) throws SQLException {
        List<Column> existing = columns();
        List<String> expressions = new ArrayList<>();
        for (Column incoming : staged.columns()) {
            Column target = Column.named(existing, incoming.name()).orElseThrow();
            expressions.add(conformed(incoming, target) + " AS " + Sql.identifier(target.name()));
        }
        return expressions;
    }

    /** The staged value of the table column {@code columnName}, cast to the column's type. */
    String conformedValue(StagedRows staged, String columnName) throws SQLException {
        Column target = column(columnName);
        Column incoming = Column.named(staged.columns(), columnName).orElseThrow();
        return conformed(incoming, target);
    }

    private static String conformed(Column incoming, Column target) {
        String value = "s." + Sql.identifier(incoming.name());
        return target.type().equals(incoming.type())
                ? value
                : "CAST(" + value + " AS " + Sql.type(target.type()) + ")";
    }

    /** The table's own spelling and type of a column named case-insensitively. */
    public Column column(String columnName) throws SQLException {
        return Column.named(columns(), columnName)
                .orElseThrow(
                        () ->
                                new SyncFailure(
                                        "column \""
                                                + columnName
                                                + "\" is not in "
                                                + displayName()));
    }

    /** The columns an INSERT of staged rows names, metadata last, in table spelling. */
    List<String> insertColumns(StagedRows staged) throws SQLException {
        List<Column> existing = columns();
        List<String> names = new ArrayList<>();
        for (Column incoming : staged.columns()) {
            names.add(Column.named(existing, incoming.name()).orElseThrow().name());
        }
        for (Column metadata : METADATA_COLUMNS) {
            names.add(metadata.name());
        }
        return names;
    }

    /** Metadata values for an INSERT, given an expression for the row's relative file path. */
    static List<String> metadataValues(RowStamp stamp, String fileExpression) {
        return List.of(
                "CAST(" + Sql.literal(stamp.extractedAt().toString()) + " AS TIMESTAMPTZ)",
                Long.toString(stamp.jobId()),
                "CAST(uuid() AS VARCHAR)",
                fileExpression);
    }

    /**
     * Appends all staged rows.
     *
     * @return rows inserted
     */
    public long insertStaged(StagedRows staged, RowStamp stamp) throws SQLException {
        return insertStaged(staged, stamp, null);
    }

    /**
     * Appends the staged rows whose cursor is greater than {@code savedCursor}, compared as the
     * column's type; all of them when there is no saved cursor. Rows with a NULL cursor are past no
     * cursor, so they land only on a first run.
     *
     * @return rows inserted
     */
    public long insertStagedPastCursor(
            StagedRows staged, RowStamp stamp, String cursorField, String savedCursor)
            throws SQLException {
        if (savedCursor == null || staged.rowCount() == 0) {
            return insertStaged(staged, stamp, null);
        }
        Column cursor = column(cursorField);
        String filter =
                conformedValue(staged, cursor.name())
                        + " > CAST("
                        + Sql.literal(savedCursor)
                        + " AS "
                        + Sql.type(cursor.type())
                        + ")";
        return insertStaged(staged, stamp, filter);
    }

    private long insertStaged(StagedRows staged, RowStamp stamp, String filter)
            throws SQLException {
        List<String> values = new ArrayList<>(conformedColumns(staged));
        values.addAll(metadataValues(stamp, "f.relative_path"));
        return session.update(
                "INSERT INTO "
                        + qualifiedName
                        + " ("
                        + Sql.identifiers(insertColumns(staged))
                        + ") SELECT "
                        + String.join(", ", values)
                        + " FROM "
                        + StagedRows.FROM_ROWS_WITH_FILES
                        + (filter == null ? "" : " WHERE " + filter));
    }

    /** Removes the rows that came from the given files (relative paths). */
    public long deleteRowsOfFiles(Collection<String> relativePaths) throws SQLException {
        if (relativePaths.isEmpty()) {
            return 0;
        }
        return session.update(
                "DELETE FROM "
                        + qualifiedName
                        + " WHERE "
                        + Sql.identifier(FILE)
                        + " IN ("
                        + relativePaths.stream().map(Sql::literal).collect(Collectors.joining(", "))
                        + ")");
    }

    public long deleteAll() throws SQLException {
        return session.update("DELETE FROM " + qualifiedName);
    }

    /** The largest value of a column as text, or null for an empty table or all-NULL column. */
    public String maxAsText(String columnName) throws SQLException {
        return session.queryString(
                "SELECT CAST(max("
                        + Sql.identifier(column(columnName).name())
                        + ") AS VARCHAR) FROM "
                        + qualifiedName);
    }
}
