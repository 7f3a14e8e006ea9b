package dev.millrace.store.lineage;

import java.util.Objects;

/**
 * An address to find or create by name, with the type it is created with. A name of the form {@code
 * db.schema.table} (or {@code schema.table}) gives the parts not set explicitly, as the Watcher
 * does.
 *
 * @param metadataJson JSON text or null
 */
public record AddressInput(
        String name,
        String typeName,
        String groupName,
        String databaseName,
        String schemaName,
        String tableName,
        String primaryKey,
        String metadataJson) {

    /** Longest address, type and group name. */
    public static final int MAX_NAME = 150;

    /** Longest database, schema, table and primary key name. */
    public static final int MAX_PART = 50;

    public AddressInput {
        requireName("name", name);
        requireName("typeName", typeName);
        requireName("groupName", groupName);
        String[] parts = name.split("\\.", -1);
        if (parts.length == 3) {
            databaseName = databaseName != null ? databaseName : parts[0];
            schemaName = schemaName != null ? schemaName : parts[1];
            tableName = tableName != null ? tableName : parts[2];
        } else if (parts.length == 2) {
            schemaName = schemaName != null ? schemaName : parts[0];
            tableName = tableName != null ? tableName : parts[1];
        }
        databaseName = part("databaseName", databaseName);
        schemaName = part("schemaName", schemaName);
        tableName = part("tableName", tableName);
        primaryKey = part("primaryKey", primaryKey);
    }

    /** An address known only by name and type. */
    public static AddressInput of(String name, String typeName, String groupName) {
        return new AddressInput(name, typeName, groupName, null, null, null, null, null);
    }

    static void requireName(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isEmpty() || value.length() > MAX_NAME) {
            throw new IllegalArgumentException(
                    field + " must be 1–" + MAX_NAME + " characters, was " + value.length());
        }
    }

    /** An empty part (as in {@code db..table}) is no part. */
    private static String part(String field, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > MAX_PART) {
            throw new IllegalArgumentException(
                    field + " must be at most " + MAX_PART + " characters, was " + value.length());
        }
        return value;
    }
}
