package dev.millrace.store.catalog;

/** A listed table: what {@link CatalogTable} says, with the number of columns instead of them. */
public record TableSummary(
        String catalog,
        String schema,
        String name,
        String type,
        Long rowCount,
        Long sizeBytes,
        int columnCount) {}
