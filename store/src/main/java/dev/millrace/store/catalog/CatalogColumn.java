package dev.millrace.store.catalog;

import java.util.Objects;

/**
 * A column of a catalogued table.
 *
 * @param ordinal position in the table, from 1
 * @param dataType the database's own type name (e.g. {@code int4}, {@code VARCHAR})
 * @param primaryKeyOrdinal position in the primary key, from 1; null if not part of it
 */
public record CatalogColumn(
        String name, int ordinal, String dataType, boolean nullable, Integer primaryKeyOrdinal) {

    public CatalogColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataType, "dataType");
    }

    public boolean primaryKey() {
        return primaryKeyOrdinal != null;
    }
}
