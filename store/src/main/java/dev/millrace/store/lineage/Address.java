package dev.millrace.store.lineage;

import java.time.Instant;

/**
 * A table, file or other place a pipeline reads or writes (the Watcher {@code address}).
 *
 * @param metadataJson free-form metadata as JSON text, or null
 * @param updatedAt null until changed
 */
public record Address(
        long id,
        String name,
        long addressTypeId,
        String databaseName,
        String schemaName,
        String tableName,
        String primaryKey,
        String metadataJson,
        Instant createdAt,
        Instant updatedAt) {}
