package dev.millrace.store.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A table or view found by a metadata refresh, with its columns. An absent level (SQLite has no
 * catalog or schema) is the empty string.
 *
 * @param type the database's table type, e.g. {@code TABLE}, {@code VIEW}, {@code BASE TABLE}
 * @param rowCount the database's own estimate, null where it has none cheaply
 * @param sizeBytes on-disk size including indexes, null where the database does not say cheaply
 */
public record CatalogTable(
        String catalog,
        String schema,
        String name,
        String type,
        Long rowCount,
        Long sizeBytes,
        List<CatalogColumn> columns) {

    public CatalogTable {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        columns = List.copyOf(columns);
    }
}
