package dev.millrace.sync.destination.duckdb;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A column as DuckDB's catalog describes it. */
public record Column(String name, String type) {

    /** DuckDB resolves identifiers case-insensitively, so columns match the same way. */
    public boolean hasName(String other) {
        return name.toLowerCase(Locale.ROOT).equals(other.toLowerCase(Locale.ROOT));
    }

    public static Optional<Column> named(List<Column> columns, String name) {
        return columns.stream().filter(column -> column.hasName(name)).findFirst();
    }
}
