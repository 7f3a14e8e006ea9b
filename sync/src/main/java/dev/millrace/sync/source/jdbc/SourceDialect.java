package dev.millrace.sync.source.jdbc;

import dev.millrace.sync.source.jdbc.JdbcRead.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;

/**
 * What differs between the databases a jdbc source reads: how identifiers are quoted, which tables
 * discovery lists, and the few column types whose JDBC type alone would land them wrongly. Told
 * from the open connection, so discovery and reads always agree.
 */
public enum SourceDialect {
    /** PostgreSQL, SQLite, DuckDB: standard SQL quoting; discovery lists every schema. */
    STANDARD,

    /**
     * MySQL and MariaDB (read with MariaDB Connector/J): backquotes; a database is a JDBC catalog
     * and discovery lists only the connected one; the session's time_zone is UTC (see {@link
     * JdbcSource}).
     */
    MYSQL;

    public static SourceDialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        return product.contains("mysql") || product.contains("mariadb") ? MYSQL : STANDARD;
    }

    public String quote(String identifier) {
        return this == MYSQL
                ? '`' + identifier.replace("`", "``") + '`'
                : '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The JDBC catalog discovery lists: MySQL's are its databases, of which only one is ours. */
    String discoveryCatalog(Connection connection) throws SQLException {
        return this == MYSQL ? connection.getCatalog() : null;
    }

    /**
     * The kind a column is read as.
     *
     * @param precision the column's size: digits of a number, bits of a MySQL {@code BIT}
     */
    Kind kindOf(int sqlType, String typeName, int precision) {
        String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
        if (this == MYSQL) {
            // TIMESTAMP is an instant the server shows in the session's time zone (UTC here);
            // DATETIME is a wall-clock value without a zone and stays TIMESTAMP.
            if (name.equals("timestamp")) {
                return Kind.TIMESTAMP_UTC;
            }
            // A duration from -838:59:59 to 838:59:59, not a time of day: the driver would wrap
            // it into 0-24h silently, so it lands as its exact text.
            if (name.equals("time")) {
                return Kind.TEXT;
            }
            // Connector/J reports YEAR as a DATE (January 1st of that year).
            if (name.equals("year")) {
                return Kind.INTEGER;
            }
            // Above Long.MAX_VALUE; the driver refuses getLong for such values.
            if (name.startsWith("bigint") && name.contains("unsigned")) {
                return Kind.DECIMAL;
            }
            // BIT(1) is a flag; BIT(n) a bit field, read as its unsigned number.
            if (sqlType == Types.BIT && precision > 1) {
                return Kind.INTEGER;
            }
        }
        if (name.equals("timestamptz") || name.equals("timestamp with time zone")) {
            return Kind.TIMESTAMPTZ;
        }
        return switch (sqlType) {
            case Types.BOOLEAN, Types.BIT -> Kind.BOOLEAN;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> Kind.INTEGER;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> Kind.DOUBLE;
            // DuckDB's DECIMAL holds 38 digits; a NUMERIC without a precision (PostgreSQL
            // reports 0 or 1000) can hold more, so it lands as text rather than be rounded.
            case Types.NUMERIC, Types.DECIMAL ->
                    precision >= 1 && precision <= 38 ? Kind.DECIMAL : Kind.TEXT;
            case Types.DATE -> Kind.DATE;
            case Types.TIME -> Kind.TIME;
            case Types.TIMESTAMP -> Kind.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> Kind.TIMESTAMPTZ;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Kind.BLOB;
            default -> Kind.TEXT;
        };
    }
}
