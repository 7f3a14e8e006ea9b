package dev.millrace.store.catalog;

import java.time.Instant;

/**
 * The size of a connector's stored catalog.
 *
 * @param refreshedAt when it was stored; null if the connector was never refreshed
 */
public record CatalogCounts(
        long catalogs, long schemas, long tables, long columns, Instant refreshedAt) {}
