package dev.millrace.operator.connector;

import dev.millrace.crds.connector.ConnectorSpec.ConnectorType;
import dev.millrace.store.catalog.CatalogColumn;
import dev.millrace.store.catalog.CatalogSnapshot;
import dev.millrace.store.catalog.CatalogTable;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a database's catalog — schemas, tables and views, columns, primary keys, and row counts and
 * sizes where the database keeps them — for the store.
 *
 * <p>Not the sync's {@code JdbcCatalog}: that one describes streams to sync (landed DuckDB types,
 * cursor candidates) with two metadata calls per table, which is fine for the tables of one source
 * but slow for a catalog of thousands. Here every level is read with one bulk call: {@link
 * DatabaseMetaData#getTables} and {@link DatabaseMetaData#getColumns} for all tables at once, and
 * primary keys and statistics from each database's own system views.
 *
 * <p>Statistics are the database's cheap estimates, never a {@code COUNT(*)}: PostgreSQL {@code
 * pg_class.reltuples} (null until the table was first analysed) and {@code pg_total_relation_size};
 * DuckDB {@code duckdb_tables().estimated_size} (no size); MySQL/MariaDB {@code
 * information_schema.TABLES}; SQLite only the row estimates of {@code sqlite_stat1}, which exist
 * after {@code ANALYZE} (counting would scan every table).
 */
final class CatalogReader {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogReader.class);

    /** Table types that hold or show data; indexes, sequences and system tables are left out. */
    private static final Set<String> DATA_TYPES =
            Set.of(
                    "TABLE",
                    "BASE TABLE",
                    "VIEW",
                    "MATERIALIZED VIEW",
                    "FOREIGN TABLE",
                    "PARTITIONED TABLE");

    /** The databases' own catalogs and schemas, which are not data. */
    private static final Set<String> SYSTEM_NAMES =
            Set.of("information_schema", "pg_catalog", "pg_toast", "mysql", "performance_schema");

    /** DuckDB's built-in catalogs next to the file's own. */
    private static final Set<String> DUCKDB_SYSTEM_CATALOGS = Set.of("system", "temp");

    private record Key(String catalog, String schema, String table) {}

    private static final class TableBuilder {
        final Key key;
        final String type;
        final List<CatalogColumn> columns = new ArrayList<>();
        Long rowCount;
        Long sizeBytes;

        TableBuilder(Key key, String type) {
            this.key = key;
            this.type = type;
        }
    }

    private final Connection connection;
    private final ConnectorType type;
    private final String defaultCatalog;

    private CatalogReader(Connection connection, ConnectorType type) throws SQLException {
        this.connection = connection;
        this.type = type;
        String current = connection.getCatalog();
        // pgjdbc reports no catalog in metadata rows; the database it is connected to is it.
        this.defaultCatalog = current == null ? "" : current;
    }

    static CatalogSnapshot read(Connection connection, ConnectorType type, Instant now)
            throws SQLException {
        return new CatalogReader(connection, type).read(now);
    }

    private CatalogSnapshot read(Instant now) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        Map<Key, TableBuilder> tables = new LinkedHashMap<>();
        try (ResultSet rows = meta.getTables(null, null, "%", null)) {
            while (rows.next()) {
                String tableType = rows.getString("TABLE_TYPE");
                String name = rows.getString("TABLE_NAME");
                Key key = key(rows.getString("TABLE_CAT"), rows.getString("TABLE_SCHEM"), name);
                if (tableType == null
                        || !DATA_TYPES.contains(tableType.toUpperCase(Locale.ROOT))
                        || isSystem(key.catalog(), key.schema())
                        || type == ConnectorType.SQLITE && name.startsWith("sqlite_")) {
                    continue;
                }
                tables.put(key, new TableBuilder(key, tableType));
            }
        }
        TreeSet<CatalogSnapshot.SchemaName> schemas =
                new TreeSet<>(
                        java.util.Comparator.comparing(CatalogSnapshot.SchemaName::catalog)
                                .thenComparing(CatalogSnapshot.SchemaName::schema));
        try (ResultSet rows = meta.getSchemas()) {
            while (rows.next()) {
                String catalog =
                        rows.getMetaData().getColumnCount() >= 2
                                ? rows.getString("TABLE_CATALOG")
                                : null;
                Key key = key(catalog, rows.getString("TABLE_SCHEM"), "");
                if (!isSystem(key.catalog(), key.schema())) {
                    schemas.add(new CatalogSnapshot.SchemaName(key.catalog(), key.schema()));
                }
            }
        }
        tables.keySet()
                .forEach(k -> schemas.add(new CatalogSnapshot.SchemaName(k.catalog(), k.schema())));

        try (ResultSet rows = meta.getColumns(null, null, "%", "%")) {
            while (rows.next()) {
                TableBuilder table =
                        tables.get(
                                key(
                                        rows.getString("TABLE_CAT"),
                                        rows.getString("TABLE_SCHEM"),
                                        rows.getString("TABLE_NAME")));
                if (table == null) {
                    continue;
                }
                table.columns.add(
                        new CatalogColumn(
                                rows.getString("COLUMN_NAME"),
                                rows.getInt("ORDINAL_POSITION"),
                                rows.getString("TYPE_NAME"),
                                rows.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls,
                                null));
            }
        }
        Map<Key, Map<String, Integer>> primaryKeys = primaryKeys(tables);
        statistics(tables);

        List<CatalogTable> result = new ArrayList<>(tables.size());
        for (TableBuilder t : tables.values()) {
            Map<String, Integer> pk = primaryKeys.getOrDefault(t.key, Map.of());
            List<CatalogColumn> columns = new ArrayList<>(t.columns.size());
            for (CatalogColumn c : t.columns) {
                columns.add(
                        new CatalogColumn(
                                c.name(),
                                c.ordinal(),
                                c.dataType(),
                                c.nullable(),
                                pk.get(c.name())));
            }
            columns.sort(java.util.Comparator.comparingInt(CatalogColumn::ordinal));
            result.add(
                    new CatalogTable(
                            t.key.catalog(),
                            t.key.schema(),
                            t.key.table(),
                            t.type,
                            t.rowCount,
                            t.sizeBytes,
                            columns));
        }
        return new CatalogSnapshot(now, List.copyOf(schemas), result);
    }

    /** Primary key columns with their position in the key, per table. */
    private Map<Key, Map<String, Integer>> primaryKeys(Map<Key, TableBuilder> tables)
            throws SQLException {
        Map<Key, Map<String, Integer>> keys = new HashMap<>();
        String sql =
                switch (type) {
                    case POSTGRES ->
                            "SELECT NULL, n.nspname, c.relname, a.attname, k.ord"
                                    + " FROM pg_index i"
                                    + " JOIN pg_class c ON c.oid = i.indrelid"
                                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                                    + " CROSS JOIN LATERAL unnest(i.indkey::int2[])"
                                    + " WITH ORDINALITY AS k(attnum, ord)"
                                    + " JOIN pg_attribute a"
                                    + " ON a.attrelid = c.oid AND a.attnum = k.attnum"
                                    + " WHERE i.indisprimary";
                    case DUCKDB ->
                            "SELECT database_name, schema_name, table_name,"
                                    + " unnest(constraint_column_names),"
                                    + " generate_subscripts(constraint_column_names, 1)"
                                    + " FROM duckdb_constraints()"
                                    + " WHERE constraint_type = 'PRIMARY KEY'";
                    case MYSQL, MARIADB ->
                            "SELECT TABLE_SCHEMA, NULL, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION"
                                    + " FROM information_schema.KEY_COLUMN_USAGE"
                                    + " WHERE CONSTRAINT_NAME = 'PRIMARY'";
                    // pragma_table_info gives each column's position in the primary key (pk).
                    case SQLITE ->
                            "SELECT NULL, NULL, m.name, p.name, p.pk"
                                    + " FROM sqlite_master m JOIN pragma_table_info(m.name) p"
                                    + " WHERE m.type = 'table' AND p.pk > 0";
                    default -> null;
                };
        if (sql == null) {
            return keys;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                Key key = key(rows.getString(1), rows.getString(2), rows.getString(3));
                if (tables.containsKey(key)) {
                    keys.computeIfAbsent(key, k -> new HashMap<>())
                            .put(rows.getString(4), rows.getInt(5));
                }
            }
        }
        return keys;
    }

    /**
     * Row estimates and sizes. They are a convenience: if the database refuses (permissions, an old
     * version), the catalog is stored without them.
     */
    private void statistics(Map<Key, TableBuilder> tables) {
        String sql =
                switch (type) {
                    case POSTGRES ->
                            "SELECT NULL, n.nspname, c.relname,"
                                    + " CASE WHEN c.reltuples < 0 THEN NULL"
                                    + " ELSE c.reltuples::bigint END,"
                                    + " pg_total_relation_size(c.oid)"
                                    + " FROM pg_class c"
                                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                                    + " WHERE c.relkind IN ('r', 'p', 'm')";
                    case DUCKDB ->
                            "SELECT database_name, schema_name, table_name, estimated_size, NULL"
                                    + " FROM duckdb_tables()";
                    case MYSQL, MARIADB ->
                            "SELECT TABLE_SCHEMA, NULL, TABLE_NAME, TABLE_ROWS,"
                                    + " DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES"
                                    + " WHERE TABLE_TYPE = 'BASE TABLE'";
                    case SQLITE -> sqliteStatistics();
                    default -> null;
                };
        if (sql == null) {
            return;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                TableBuilder table =
                        tables.get(key(rows.getString(1), rows.getString(2), rows.getString(3)));
                if (table != null) {
                    long count = rows.getLong(4);
                    table.rowCount = rows.wasNull() ? null : count;
                    long size = rows.getLong(5);
                    table.sizeBytes = rows.wasNull() ? null : size;
                }
            }
        } catch (SQLException e) {
            LOG.info("Catalog statistics unavailable ({}); storing the catalog without them", type);
        }
    }

    /** sqlite_stat1 exists only after ANALYZE; its stat column starts with the row estimate. */
    private String sqliteStatistics() {
        try (Statement statement = connection.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")) {
            if (!rows.next()) {
                return null;
            }
        } catch (SQLException e) {
            return null;
        }
        return "SELECT NULL, NULL, tbl, MAX(CAST(stat AS INTEGER)), NULL FROM sqlite_stat1"
                + " GROUP BY tbl";
    }

    private Key key(String catalog, String schema, String table) {
        return new Key(
                catalog == null ? defaultCatalog : catalog, schema == null ? "" : schema, table);
    }

    private boolean isSystem(String catalog, String schema) {
        String c = catalog.toLowerCase(Locale.ROOT);
        String s = schema.toLowerCase(Locale.ROOT);
        if (type == ConnectorType.DUCKDB && DUCKDB_SYSTEM_CATALOGS.contains(c)) {
            return true;
        }
        return SYSTEM_NAMES.contains(c)
                || SYSTEM_NAMES.contains(s)
                || s.startsWith("pg_temp_")
                || s.startsWith("pg_toast_temp_")
                || (type == ConnectorType.MYSQL || type == ConnectorType.MARIADB)
                        && c.equals("sys");
    }
}
