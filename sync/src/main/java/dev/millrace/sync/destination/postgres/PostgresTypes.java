package dev.millrace.sync.destination.postgres;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The PostgreSQL column type a value staged in DuckDB lands as, and how it is written into the CSV
 * that {@code COPY} reads. Every source is staged in DuckDB first (files read by DuckDB, database
 * rows appended), so one mapping from DuckDB's types covers every source; docs/type-mapping.md
 * lists it.
 */
public final class PostgresTypes {

    /**
     * Type names read back from PostgreSQL's catalog ({@code format_type}) and pasted into a
     * staging table's definition; anything unusual, such as a quoted user-defined type, is refused.
     */
    private static final Pattern PLAIN_TYPE =
            Pattern.compile(
                    "[A-Za-z][A-Za-z0-9_ ]*(\\([0-9, ]+\\))?( with(out)? time zone)?(\\[\\])?");

    private PostgresTypes() {}

    /** The PostgreSQL type of a DuckDB column type. */
    public static String of(String duckDbType) {
        String type = duckDbType.toUpperCase(Locale.ROOT);
        if (type.startsWith("DECIMAL(") || type.startsWith("NUMERIC(")) {
            return "numeric" + type.substring(type.indexOf('('));
        }
        return switch (type) {
            case "BOOLEAN" -> "boolean";
            case "TINYINT", "SMALLINT", "UTINYINT" -> "smallint";
            case "INTEGER", "USMALLINT" -> "integer";
            case "BIGINT", "UINTEGER" -> "bigint";
            case "UBIGINT" -> "numeric(20,0)";
            case "HUGEINT", "UHUGEINT" -> "numeric(39,0)";
            case "FLOAT" -> "real";
            case "DOUBLE" -> "double precision";
            case "DATE" -> "date";
            case "TIME" -> "time";
            case "TIME WITH TIME ZONE" -> "timetz";
            case "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS" -> "timestamp";
            case "TIMESTAMP WITH TIME ZONE" -> "timestamptz";
            case "INTERVAL" -> "interval";
            case "UUID" -> "uuid";
            case "BLOB" -> "bytea";
            case "JSON" -> "jsonb";
            default -> "text";
        };
    }

    /**
     * The DuckDB expression whose CSV text PostgreSQL parses back as {@link #of}: a BLOB is written
     * in bytea's hex format, everything else as DuckDB prints it.
     */
    public static String csvValue(String duckDbType, String expression) {
        return "BLOB".equalsIgnoreCase(duckDbType)
                ? "'\\x' || hex(" + expression + ")"
                : expression;
    }

    /** A catalog type name checked before it goes into SQL. */
    public static String checked(String postgresType) {
        if (!PLAIN_TYPE.matcher(postgresType).matches()) {
            throw new IllegalArgumentException(
                    "column type " + postgresType + " is not one this sync engine can stage");
        }
        return postgresType;
    }
}
