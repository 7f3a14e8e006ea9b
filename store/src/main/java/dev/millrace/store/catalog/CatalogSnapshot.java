package dev.millrace.store.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything one metadata refresh of a Connector found.
 *
 * @param schemas every (catalog, schema) pair, including those without tables
 */
public record CatalogSnapshot(
        Instant refreshedAt, List<SchemaName> schemas, List<CatalogTable> tables) {

    public CatalogSnapshot {
        Objects.requireNonNull(refreshedAt, "refreshedAt");
        schemas = List.copyOf(schemas);
        tables = List.copyOf(tables);
    }

    /** A schema of a catalog; either is the empty string where the database has no such level. */
    public record SchemaName(String catalog, String schema) {
        public SchemaName {
            Objects.requireNonNull(catalog, "catalog");
            Objects.requireNonNull(schema, "schema");
        }
    }
}
