package dev.millrace.sync.destination.duckdb;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Quoting for the SQL this engine writes. Names and paths come from plans and file headers, so
 * every one goes through here: identifiers are double-quoted and string literals single-quoted,
 * with the quote character doubled inside.
 */
public final class Sql {

    /**
     * Type names are copied from DuckDB's catalog into CAST and column definitions. The ones CSV
     * scans produce (BIGINT, DECIMAL(18,3), TIMESTAMP WITH TIME ZONE, …) match this; anything with
     * quotes or brackets, such as a STRUCT a person created by hand, is refused rather than pasted
     * into SQL.
     */
    private static final Pattern PLAIN_TYPE =
            Pattern.compile("[A-Za-z][A-Za-z0-9_ ]*(\\([0-9, ]+\\))?");

    private Sql() {}

    public static String identifier(String name) {
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("identifier contains a NUL character");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    public static String identifiers(List<String> names) {
        return names.stream().map(Sql::identifier).collect(Collectors.joining(", "));
    }

    /** {@code "catalog"."schema"."table"}; the catalog keeps temp tables from shadowing ours. */
    public static String qualified(String catalog, String schema, String table) {
        return identifier(catalog) + '.' + identifier(schema) + '.' + identifier(table);
    }

    public static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("string literal contains a NUL character");
        }
        return '\'' + value.replace("'", "''") + '\'';
    }

    public static String type(String duckDbType) {
        if (!PLAIN_TYPE.matcher(duckDbType).matches()) {
            throw new IllegalArgumentException(
                    "column type " + duckDbType + " is not one this sync engine can cast to");
        }
        return duckDbType;
    }
}
