package dev.millrace.store.lineage;

/** A partial update of an address: null fields stay as they are. */
public record AddressChange(
        String name,
        Long addressTypeId,
        String databaseName,
        String schemaName,
        String tableName,
        String primaryKey) {

    public AddressChange {
        if (name != null) {
            AddressInput.requireName("name", name);
        }
        for (String part : new String[] {databaseName, schemaName, tableName, primaryKey}) {
            if (part != null && part.length() > AddressInput.MAX_PART) {
                throw new IllegalArgumentException(
                        "database, schema, table and primary key names must be at most "
                                + AddressInput.MAX_PART
                                + " characters");
            }
        }
    }
}
