package dev.millrace.sync.source.jdbc;

import dev.millrace.sync.destination.duckdb.Column;
import dev.millrace.sync.destination.duckdb.DuckDbSession;
import dev.millrace.sync.destination.duckdb.StagedRows;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.result.SyncFailure;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Reads one stream of a database into DuckDB staging: the rows stream from the source with a
 * bounded fetch size straight into a DuckDB Appender, so no table is ever held in the heap. With a
 * saved cursor the filter {@code cursor > ?} runs in the source database. PostgreSQL tables of
 * plain types take the faster COPY path instead ({@link PostgresCopyRead}).
 */
public final class JdbcRead {

    /** Rows per round trip; bounds the heap a read needs whatever the table's size. */
    public static final int FETCH_SIZE = 10_000;

    /** How DuckDB prints a TIMESTAMPTZ as text, which is how a saved cursor looks. */
    private static final DateTimeFormatter DUCKDB_TIMESTAMPTZ =
            new DateTimeFormatterBuilder()
                    .appendPattern("yyyy-MM-dd HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
                    .optionalEnd()
                    .appendPattern("[XXXXX][XXX][X]")
                    .toFormatter(Locale.ROOT);

    private JdbcRead() {}

    /** The SELECT a stream reads: its query, or every column of its table. */
    public static String baseQuery(StreamPlan stream, SourceDialect dialect) {
        if (stream.query() != null) {
            return stream.query();
        }
        String table =
                Arrays.stream(stream.table().split("\\."))
                        .map(dialect::quote)
                        .collect(Collectors.joining("."));
        return "SELECT * FROM " + table;
    }

    /**
     * Stages the stream's rows past {@code savedCursor} (all rows when it is null).
     *
     * @param readAtMicros the run's time, which orders these rows after those already landed
     */
    public static StagedRows stage(
            DuckDbSession session,
            Connection source,
            StreamPlan stream,
            String savedCursor,
            long readAtMicros)
            throws SQLException {
        return stage(session, source, stream, savedCursor, readAtMicros, true);
    }

    /**
     * @param copyAllowed whether a PostgreSQL table may take the COPY path; false compares the two
     *     paths in tests
     */
    static StagedRows stage(
            DuckDbSession session,
            Connection source,
            StreamPlan stream,
            String savedCursor,
            long readAtMicros,
            boolean copyAllowed)
            throws SQLException {
        SourceDialect dialect = SourceDialect.of(source);
        String base = "SELECT * FROM (" + baseQuery(stream, dialect) + ") millrace_src";
        List<SourceColumn> columns = describe(source, base);
        String sql = base;
        SourceColumn cursor = null;
        if (savedCursor != null) {
            cursor =
                    columns.stream()
                            .filter(column -> column.name().equalsIgnoreCase(stream.cursorField()))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new SyncFailure(
                                                    "cursorField \""
                                                            + stream.cursorField()
                                                            + "\" is not a column of "
                                                            + stream.name()));
            sql = base + " WHERE " + dialect.quote(cursor.name()) + " > ?";
        }
        List<Column> staged = columns.stream().map(SourceColumn::landed).toList();
        String[] target = StagedRows.createAppendTarget(session, staged);
        String label = "jdbc:" + stream.name();
        if (copyAllowed && PostgresCopyRead.canRead(source, columns)) {
            String select =
                    cursor == null
                            ? base
                            : base
                                    + " WHERE "
                                    + dialect.quote(cursor.name())
                                    + " > CAST("
                                    + literal(savedCursor)
                                    + " AS "
                                    + cursor.typeName()
                                    + ")";
            PostgresCopyRead.stage(session, source, stream, select, staged, target, label);
            return StagedRows.appended(session, staged, label, readAtMicros);
        }
        try (PreparedStatement statement = streaming(source, sql)) {
            if (cursor != null) {
                bindCursor(statement, cursor, savedCursor);
            }
            try (ResultSet rows = statement.executeQuery();
                    DuckDBAppender appender =
                            session.connection()
                                    .unwrap(DuckDBConnection.class)
                                    .createAppender(target[0], target[1], target[2])) {
                while (rows.next()) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new java.util.concurrent.CancellationException("interrupted");
                    }
                    appender.beginRow();
                    for (int index = 0; index < columns.size(); index++) {
                        append(appender, rows, index + 1, columns.get(index).kind());
                    }
                    appender.append(label);
                    appender.endRow();
                }
            }
        }
        return StagedRows.appended(session, staged, label, readAtMicros);
    }

    /**
     * A statement whose result arrives {@link #FETCH_SIZE} rows at a time. Drivers read a whole
     * result into the heap unless told otherwise: pgjdbc streams with a fetch size inside a
     * transaction (see {@link JdbcSource}), MariaDB Connector/J with any positive fetch size.
     */
    static PreparedStatement streaming(Connection source, String sql) throws SQLException {
        PreparedStatement statement = source.prepareStatement(sql);
        statement.setFetchSize(FETCH_SIZE);
        return statement;
    }

    /** Column names and kinds of a query, from the driver's metadata, without reading a row. */
    public static List<SourceColumn> describe(Connection source, String select)
            throws SQLException {
        SourceDialect dialect = SourceDialect.of(source);
        try (PreparedStatement statement =
                        source.prepareStatement("SELECT * FROM (" + select + ") d WHERE 1 = 0");
                ResultSet rows = statement.executeQuery()) {
            ResultSetMetaData meta = rows.getMetaData();
            List<SourceColumn> columns = new ArrayList<>();
            for (int index = 1; index <= meta.getColumnCount(); index++) {
                columns.add(
                        SourceColumn.of(
                                dialect,
                                meta.getColumnLabel(index),
                                meta.getColumnType(index),
                                meta.getColumnTypeName(index),
                                meta.getPrecision(index),
                                meta.getScale(index)));
            }
            return columns;
        }
    }

    /** A PostgreSQL string literal (standard_conforming_strings on). */
    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Binds the saved cursor (text, as DuckDB printed the landed maximum) as the column's type. */
    private static void bindCursor(PreparedStatement statement, SourceColumn cursor, String saved)
            throws SQLException {
        switch (cursor.kind()) {
            case INTEGER -> statement.setLong(1, Long.parseLong(saved));
            case DECIMAL, DOUBLE -> statement.setBigDecimal(1, new BigDecimal(saved));
            case DATE -> statement.setObject(1, LocalDate.parse(saved));
            case TIMESTAMP -> statement.setObject(1, LocalDateTime.parse(saved.replace(' ', 'T')));
            case TIMESTAMPTZ ->
                    statement.setObject(1, OffsetDateTime.parse(saved, DUCKDB_TIMESTAMPTZ));
            case TIMESTAMP_UTC ->
                    statement.setObject(
                            1,
                            OffsetDateTime.parse(saved, DUCKDB_TIMESTAMPTZ)
                                    .withOffsetSameInstant(ZoneOffset.UTC)
                                    .toLocalDateTime());
            default -> statement.setString(1, saved);
        }
    }

    private static void append(DuckDBAppender appender, ResultSet rows, int index, Kind kind)
            throws SQLException {
        switch (kind) {
            case BOOLEAN -> {
                boolean value = rows.getBoolean(index);
                if (rows.wasNull()) {
                    appender.appendNull();
                } else {
                    appender.append(value);
                }
            }
            case INTEGER -> {
                long value = rows.getLong(index);
                if (rows.wasNull()) {
                    appender.appendNull();
                } else {
                    appender.append(value);
                }
            }
            case DOUBLE -> {
                double value = rows.getDouble(index);
                if (rows.wasNull()) {
                    appender.appendNull();
                } else {
                    appender.append(value);
                }
            }
            case DECIMAL -> {
                BigDecimal value = rows.getBigDecimal(index);
                if (value == null) {
                    appender.appendNull();
                } else {
                    appender.append(value);
                }
            }
            case DATE -> {
                LocalDate value = rows.getObject(index, LocalDate.class);
                if (value == null) {
                    appender.appendNull();
                } else {
                    appender.append(value);
                }
            }
            case TIME -> {
                LocalTime value = rows.getObject(index, LocalTime.class);
                if (value == null) {
                    appender.appendNull();
                } else {
                    appender.append(value);
                }
            }
            case TIMESTAMP -> {
                LocalDateTime value = rows.getObject(index, LocalDateTime.class);
                if (value == null) {
                    appender.appendNull();
                } else {
                    appender.append(value);
                }
            }
            case TIMESTAMPTZ -> {
                OffsetDateTime value = rows.getObject(index, OffsetDateTime.class);
                if (value == null) {
                    appender.appendNull();
                } else {
                    appender.append(value);
                }
            }
            case TIMESTAMP_UTC -> {
                LocalDateTime value = rows.getObject(index, LocalDateTime.class);
                if (value == null) {
                    appender.appendNull();
                } else {
                    appender.append(value.atOffset(ZoneOffset.UTC));
                }
            }
            case BLOB -> {
                byte[] value = rows.getBytes(index);
                if (value == null) {
                    appender.appendNull();
                } else {
                    appender.append(value);
                }
            }
            case TEXT -> {
                String value = rows.getString(index);
                if (value == null) {
                    appender.appendNull();
                } else {
                    appender.append(value);
                }
            }
        }
    }

    /** How a source column is read from JDBC and landed in DuckDB. */
    public enum Kind {
        BOOLEAN("BOOLEAN"),
        INTEGER("BIGINT"),
        DOUBLE("DOUBLE"),
        DECIMAL(null),
        DATE("DATE"),
        TIME("TIME"),
        TIMESTAMP("TIMESTAMP"),
        TIMESTAMPTZ("TIMESTAMP WITH TIME ZONE"),
        /** A zoneless timestamp the source gives in UTC: MySQL's TIMESTAMP, an instant. */
        TIMESTAMP_UTC("TIMESTAMP WITH TIME ZONE"),
        BLOB("BLOB"),
        TEXT("VARCHAR");

        private final String duckDbType;

        Kind(String duckDbType) {
            this.duckDbType = duckDbType;
        }
    }

    /**
     * A column of a source query.
     *
     * @param sqlType {@link java.sql.Types}
     * @param typeName the database's own type name
     */
    public record SourceColumn(
            String name, int sqlType, String typeName, int precision, int scale, Kind kind) {

        static SourceColumn of(
                SourceDialect dialect,
                String name,
                int sqlType,
                String typeName,
                int precision,
                int scale) {
            return new SourceColumn(
                    name,
                    sqlType,
                    typeName,
                    precision,
                    scale,
                    dialect.kindOf(sqlType, typeName, precision));
        }

        /** The DuckDB column this lands in. */
        public Column landed() {
            String type =
                    kind == Kind.DECIMAL
                            ? "DECIMAL(" + precision + "," + scale + ")"
                            : kind.duckDbType;
            return new Column(name, type);
        }
    }
}
