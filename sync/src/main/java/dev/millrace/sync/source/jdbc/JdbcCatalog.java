package dev.millrace.sync.source.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.sync.source.jdbc.JdbcRead.Kind;
import dev.millrace.sync.source.jdbc.JdbcRead.SourceColumn;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

/**
 * A database's streams as JDBC metadata describes them: tables and views with their columns, the
 * DuckDB type each lands as, primary keys, and the columns fit to be a cursor (numbers, dates and
 * timestamps, which only grow for new rows in the common case).
 */
public final class JdbcCatalog {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Schemas of the databases' own catalogs, which are not data. */
    private static final Set<String> SYSTEM_SCHEMAS =
            Set.of("pg_catalog", "information_schema", "pg_toast");

    private static final Set<Kind> CURSOR_KINDS =
            Set.of(
                    Kind.INTEGER,
                    Kind.DECIMAL,
                    Kind.DATE,
                    Kind.TIMESTAMP,
                    Kind.TIMESTAMPTZ,
                    Kind.TIMESTAMP_UTC);

    private JdbcCatalog() {}

    public static ObjectNode discover(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        SourceDialect dialect = SourceDialect.of(connection);
        TreeMap<String, String[]> tables = new TreeMap<>();
        try (ResultSet rows =
                meta.getTables(
                        dialect.discoveryCatalog(connection),
                        null,
                        "%",
                        new String[] {"TABLE", "VIEW"})) {
            while (rows.next()) {
                String schema = rows.getString("TABLE_SCHEM");
                String name = rows.getString("TABLE_NAME");
                if (schema != null && SYSTEM_SCHEMAS.contains(schema.toLowerCase(Locale.ROOT))
                        || name.startsWith("sqlite_")) {
                    continue;
                }
                String qualified = schema == null ? name : schema + "." + name;
                tables.put(
                        qualified,
                        new String[] {
                            rows.getString("TABLE_CAT"), schema, name, rows.getString("TABLE_TYPE")
                        });
            }
        }
        ObjectNode catalog = JSON.createObjectNode();
        ArrayNode streams = catalog.putArray("streams");
        for (var entry : tables.entrySet()) {
            String[] table = entry.getValue();
            ObjectNode stream = streams.addObject();
            stream.put("name", table[2]);
            stream.put("table", entry.getKey());
            stream.put("kind", table[3].toLowerCase(Locale.ROOT));
            ArrayNode columns = stream.putArray("columns");
            List<String> cursorCandidates = new ArrayList<>();
            try (ResultSet rows = meta.getColumns(table[0], table[1], table[2], "%")) {
                while (rows.next()) {
                    SourceColumn column =
                            SourceColumn.of(
                                    dialect,
                                    rows.getString("COLUMN_NAME"),
                                    rows.getInt("DATA_TYPE"),
                                    rows.getString("TYPE_NAME"),
                                    rows.getInt("COLUMN_SIZE"),
                                    rows.getInt("DECIMAL_DIGITS"));
                    ObjectNode node = columns.addObject();
                    node.put("name", column.name());
                    node.put("sourceType", column.typeName());
                    node.put("type", column.landed().type());
                    node.put("nullable", rows.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls);
                    if (CURSOR_KINDS.contains(column.kind())) {
                        cursorCandidates.add(column.name());
                    }
                }
            }
            ArrayNode primaryKey = stream.putArray("primaryKey");
            TreeMap<Short, String> keyColumns = new TreeMap<>();
            try (ResultSet rows = meta.getPrimaryKeys(table[0], table[1], table[2])) {
                while (rows.next()) {
                    keyColumns.put(rows.getShort("KEY_SEQ"), rows.getString("COLUMN_NAME"));
                }
            }
            keyColumns.values().forEach(primaryKey::add);
            ArrayNode cursors = stream.putArray("cursorCandidates");
            cursorCandidates.forEach(cursors::add);
        }
        return catalog;
    }
}
