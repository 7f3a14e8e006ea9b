package dev.millrace.store.catalog;

import dev.millrace.store.jdbc.Database;
import dev.millrace.store.jdbc.JdbcValues;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Connector catalogs in the store: the schemas, tables and columns a Connector's metadata refresh
 * found, keyed by the Connector's uid. They are history, not desired state (thousands of tables
 * would not fit in etcd), so the Connector's status carries only counts.
 *
 * <p>Each method is one transaction. Listings are ordered by name (columns by ordinal) and paged
 * with {@code limit}/{@code offset}.
 */
public final class ConnectorCatalogs {

    private static final String[] TABLES = {
        "connector_columns", "connector_tables", "connector_schemas", "connector_catalog_refreshes"
    };

    private final Database database;

    public ConnectorCatalogs(Database database) {
        this.database = database;
    }

    /**
     * Makes {@code snapshot} the connector's whole catalog: readers see the previous catalog or
     * this one, never a mix, and a failure leaves the previous one.
     */
    public void replace(String connectorUid, CatalogSnapshot snapshot) {
        Objects.requireNonNull(connectorUid, "connectorUid");
        Objects.requireNonNull(snapshot, "snapshot");
        database.transaction(
                "replace the catalog of connector " + connectorUid,
                c -> {
                    deleteAll(c, connectorUid);
                    insert(c, connectorUid, snapshot);
                    return null;
                });
    }

    /** Forgets the connector's catalog (the Connector was deleted). */
    public void delete(String connectorUid) {
        Objects.requireNonNull(connectorUid, "connectorUid");
        database.transaction(
                "delete the catalog of connector " + connectorUid,
                c -> {
                    deleteAll(c, connectorUid);
                    return null;
                });
    }

    public List<String> catalogs(String connectorUid, int limit, int offset) {
        checkPage(limit, offset);
        return database.transaction(
                "list the catalogs of connector " + connectorUid,
                c ->
                        strings(
                                c,
                                "SELECT DISTINCT catalog_name FROM connector_schemas"
                                        + " WHERE connector_uid = ?"
                                        + " ORDER BY catalog_name LIMIT ? OFFSET ?",
                                List.of(connectorUid),
                                limit,
                                offset));
    }

    public List<String> schemas(String connectorUid, String catalog, int limit, int offset) {
        checkPage(limit, offset);
        return database.transaction(
                "list the schemas of connector " + connectorUid,
                c ->
                        strings(
                                c,
                                "SELECT schema_name FROM connector_schemas"
                                        + " WHERE connector_uid = ? AND catalog_name = ?"
                                        + " ORDER BY schema_name LIMIT ? OFFSET ?",
                                List.of(connectorUid, catalog),
                                limit,
                                offset));
    }

    public List<TableSummary> tables(
            String connectorUid, String catalog, String schema, int limit, int offset) {
        checkPage(limit, offset);
        return database.transaction(
                "list the tables of connector " + connectorUid,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT catalog_name, schema_name, table_name, table_type,"
                                            + " row_count, size_bytes, column_count"
                                            + " FROM connector_tables WHERE connector_uid = ?"
                                            + " AND catalog_name = ? AND schema_name = ?"
                                            + " ORDER BY table_name LIMIT ? OFFSET ?")) {
                        bind(query, List.of(connectorUid, catalog, schema), limit, offset);
                        List<TableSummary> tables = new ArrayList<>();
                        try (ResultSet rows = query.executeQuery()) {
                            while (rows.next()) {
                                tables.add(
                                        new TableSummary(
                                                rows.getString(1),
                                                rows.getString(2),
                                                rows.getString(3),
                                                rows.getString(4),
                                                JdbcValues.getNullableLong(rows, "row_count"),
                                                JdbcValues.getNullableLong(rows, "size_bytes"),
                                                rows.getInt(7)));
                            }
                        }
                        return tables;
                    }
                });
    }

    public List<CatalogColumn> columns(
            String connectorUid,
            String catalog,
            String schema,
            String table,
            int limit,
            int offset) {
        checkPage(limit, offset);
        return database.transaction(
                "list the columns of connector " + connectorUid + " table " + table,
                c -> {
                    try (PreparedStatement query =
                            c.prepareStatement(
                                    "SELECT column_name, ordinal, data_type, nullable,"
                                            + " primary_key_ordinal FROM connector_columns"
                                            + " WHERE connector_uid = ? AND catalog_name = ?"
                                            + " AND schema_name = ? AND table_name = ?"
                                            + " ORDER BY ordinal LIMIT ? OFFSET ?")) {
                        bind(query, List.of(connectorUid, catalog, schema, table), limit, offset);
                        List<CatalogColumn> columns = new ArrayList<>();
                        try (ResultSet rows = query.executeQuery()) {
                            while (rows.next()) {
                                Long pk = JdbcValues.getNullableLong(rows, "primary_key_ordinal");
                                columns.add(
                                        new CatalogColumn(
                                                rows.getString(1),
                                                rows.getInt(2),
                                                rows.getString(3),
                                                rows.getBoolean(4),
                                                pk == null ? null : pk.intValue()));
                            }
                        }
                        return columns;
                    }
                });
    }

    /** How many catalogs, schemas, tables and columns the connector's catalog holds. */
    public CatalogCounts counts(String connectorUid) {
        Objects.requireNonNull(connectorUid, "connectorUid");
        return database.transaction(
                "count the catalog of connector " + connectorUid,
                c ->
                        new CatalogCounts(
                                count(
                                        c,
                                        "SELECT COUNT(DISTINCT catalog_name) FROM connector_schemas"
                                                + " WHERE connector_uid = ?",
                                        connectorUid),
                                count(
                                        c,
                                        "SELECT COUNT(*) FROM connector_schemas"
                                                + " WHERE connector_uid = ?",
                                        connectorUid),
                                count(
                                        c,
                                        "SELECT COUNT(*) FROM connector_tables"
                                                + " WHERE connector_uid = ?",
                                        connectorUid),
                                count(
                                        c,
                                        "SELECT COUNT(*) FROM connector_columns"
                                                + " WHERE connector_uid = ?",
                                        connectorUid),
                                refreshedAt(c, connectorUid)));
    }

    public long countSchemas(String connectorUid, String catalog) {
        return database.transaction(
                "count the schemas of connector " + connectorUid,
                c ->
                        count(
                                c,
                                "SELECT COUNT(*) FROM connector_schemas"
                                        + " WHERE connector_uid = ? AND catalog_name = ?",
                                connectorUid,
                                catalog));
    }

    public long countTables(String connectorUid, String catalog, String schema) {
        return database.transaction(
                "count the tables of connector " + connectorUid,
                c ->
                        count(
                                c,
                                "SELECT COUNT(*) FROM connector_tables WHERE connector_uid = ?"
                                        + " AND catalog_name = ? AND schema_name = ?",
                                connectorUid,
                                catalog,
                                schema));
    }

    public long countColumns(String connectorUid, String catalog, String schema, String table) {
        return database.transaction(
                "count the columns of connector " + connectorUid + " table " + table,
                c ->
                        count(
                                c,
                                "SELECT COUNT(*) FROM connector_columns WHERE connector_uid = ?"
                                        + " AND catalog_name = ? AND schema_name = ?"
                                        + " AND table_name = ?",
                                connectorUid,
                                catalog,
                                schema,
                                table));
    }

    private static void deleteAll(Connection c, String connectorUid) throws SQLException {
        for (String table : TABLES) {
            try (PreparedStatement delete =
                    c.prepareStatement("DELETE FROM " + table + " WHERE connector_uid = ?")) {
                delete.setString(1, connectorUid);
                delete.executeUpdate();
            }
        }
    }

    private static void insert(Connection c, String uid, CatalogSnapshot snapshot)
            throws SQLException {
        try (PreparedStatement refresh =
                c.prepareStatement(
                        "INSERT INTO connector_catalog_refreshes (connector_uid, refreshed_at)"
                                + " VALUES (?, ?)")) {
            refresh.setString(1, uid);
            JdbcValues.setInstant(refresh, 2, snapshot.refreshedAt());
            refresh.executeUpdate();
        }
        try (PreparedStatement schemas =
                c.prepareStatement(
                        "INSERT INTO connector_schemas (connector_uid, catalog_name, schema_name)"
                                + " VALUES (?, ?, ?)")) {
            for (CatalogSnapshot.SchemaName schema : snapshot.schemas()) {
                schemas.setString(1, uid);
                schemas.setString(2, schema.catalog());
                schemas.setString(3, schema.schema());
                schemas.addBatch();
            }
            schemas.executeBatch();
        }
        try (PreparedStatement tables =
                        c.prepareStatement(
                                "INSERT INTO connector_tables (connector_uid, catalog_name,"
                                        + " schema_name, table_name, table_type, row_count,"
                                        + " size_bytes, column_count)"
                                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement columns =
                        c.prepareStatement(
                                "INSERT INTO connector_columns (connector_uid, catalog_name,"
                                        + " schema_name, table_name, column_name, ordinal,"
                                        + " data_type, nullable, primary_key_ordinal)"
                                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (CatalogTable table : snapshot.tables()) {
                tables.setString(1, uid);
                tables.setString(2, table.catalog());
                tables.setString(3, table.schema());
                tables.setString(4, table.name());
                tables.setString(5, table.type());
                JdbcValues.setNullableLong(tables, 6, table.rowCount());
                JdbcValues.setNullableLong(tables, 7, table.sizeBytes());
                tables.setInt(8, table.columns().size());
                tables.addBatch();
                for (CatalogColumn column : table.columns()) {
                    columns.setString(1, uid);
                    columns.setString(2, table.catalog());
                    columns.setString(3, table.schema());
                    columns.setString(4, table.name());
                    columns.setString(5, column.name());
                    columns.setInt(6, column.ordinal());
                    columns.setString(7, column.dataType());
                    columns.setBoolean(8, column.nullable());
                    if (column.primaryKeyOrdinal() == null) {
                        columns.setNull(9, java.sql.Types.INTEGER);
                    } else {
                        columns.setInt(9, column.primaryKeyOrdinal());
                    }
                    columns.addBatch();
                }
            }
            tables.executeBatch();
            columns.executeBatch();
        }
    }

    private static java.time.Instant refreshedAt(Connection c, String uid) throws SQLException {
        try (PreparedStatement query =
                c.prepareStatement(
                        "SELECT refreshed_at FROM connector_catalog_refreshes"
                                + " WHERE connector_uid = ?")) {
            query.setString(1, uid);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? JdbcValues.getInstant(rows, "refreshed_at") : null;
            }
        }
    }

    private static long count(Connection c, String sql, String... keys) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            for (int i = 0; i < keys.length; i++) {
                query.setString(i + 1, keys[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static List<String> strings(
            Connection c, String sql, List<String> keys, int limit, int offset)
            throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            bind(query, keys, limit, offset);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    private static void bind(PreparedStatement query, List<String> keys, int limit, int offset)
            throws SQLException {
        for (int i = 0; i < keys.size(); i++) {
            query.setString(i + 1, Objects.requireNonNull(keys.get(i), "catalog key"));
        }
        query.setInt(keys.size() + 1, limit);
        query.setInt(keys.size() + 2, offset);
    }

    private static void checkPage(int limit, int offset) {
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException(
                    "limit and offset must not be negative, were " + limit + " and " + offset);
        }
    }
}
