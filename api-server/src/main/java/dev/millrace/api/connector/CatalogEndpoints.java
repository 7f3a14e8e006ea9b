package dev.millrace.api.connector;

import dev.millrace.crds.connector.Connector;
import dev.millrace.store.Store;
import dev.millrace.store.catalog.CatalogColumn;
import dev.millrace.store.catalog.ConnectorCatalogs;
import dev.millrace.store.catalog.TableSummary;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /api/connector/{id}/catalogs, /schemas, /tables and /columns, from the catalog the last metadata
 * refresh stored. A level the request leaves out (catalog, schema) is taken when the connector has
 * exactly one (SQLite has one empty catalog and schema, a PostgreSQL database one catalog), and
 * refused naming the choices otherwise. {@code limit} (1-10000, default 10000) and {@code offset}
 * page the lists; the reference returns whole lists.
 */
final class CatalogEndpoints {
    static final int MAX_LIMIT = 10_000;

    private final Store store;

    CatalogEndpoints(Store store) {
        this.store = store;
    }

    private ConnectorCatalogs catalogs() {
        return store.connectorCatalogs();
    }

    void catalogs(Context ctx, Connector connector) {
        Page page = Page.of(ctx);
        String uid = connector.getMetadata().getUid();
        ctx.json(
                catalogs().catalogs(uid, page.limit, page.offset).stream()
                        .map(c -> named("catalogName", c))
                        .toList());
    }

    void schemas(Context ctx, Connector connector) {
        Page page = Page.of(ctx);
        String uid = connector.getMetadata().getUid();
        String catalog = catalog(ctx, uid);
        if (catalog == null) {
            ctx.json(List.of());
            return;
        }
        ctx.json(
                catalogs().schemas(uid, catalog, page.limit, page.offset).stream()
                        .map(s -> named("schemaName", s))
                        .toList());
    }

    void tables(Context ctx, Connector connector) {
        Page page = Page.of(ctx);
        String uid = connector.getMetadata().getUid();
        String catalog = catalog(ctx, uid);
        String schema = catalog == null ? null : schema(ctx, uid, catalog);
        if (schema == null) {
            ctx.json(List.of());
            return;
        }
        ctx.json(
                catalogs().tables(uid, catalog, schema, page.limit, page.offset).stream()
                        .map(CatalogEndpoints::table)
                        .toList());
    }

    void columns(Context ctx, Connector connector) {
        Page page = Page.of(ctx);
        String uid = connector.getMetadata().getUid();
        String table = ConnectorRequest.queryName(ctx.queryParam("table"), "table");
        if (table == null || table.isEmpty()) {
            throw ConnectorApiException.badRequest("Missing required query parameter: table");
        }
        String catalog = catalog(ctx, uid);
        String schema = catalog == null ? null : schema(ctx, uid, catalog);
        if (schema == null || catalogs().countColumns(uid, catalog, schema, table) == 0) {
            throw ConnectorApiException.notFound(
                    "Table '" + table + "' not found in the connector's catalog");
        }
        ctx.json(
                catalogs().columns(uid, catalog, schema, table, page.limit, page.offset).stream()
                        .map(CatalogEndpoints::column)
                        .toList());
    }

    /** The catalog asked for or the only one; null when the connector has no catalog yet. */
    private String catalog(Context ctx, String uid) {
        String asked = ConnectorRequest.queryName(ctx.queryParam("catalog"), "catalog");
        if (asked != null) {
            if (catalogs().countSchemas(uid, asked) == 0) {
                throw ConnectorApiException.notFound(
                        "Catalog '" + asked + "' not found in the connector's catalog");
            }
            return asked;
        }
        List<String> all = catalogs().catalogs(uid, 3, 0);
        if (all.size() > 1) {
            throw ConnectorApiException.badRequest(
                    "Missing required query parameter: catalog (the connector has several, see"
                            + " /catalogs)");
        }
        return all.isEmpty() ? null : all.get(0);
    }

    private String schema(Context ctx, String uid, String catalog) {
        String asked = ConnectorRequest.queryName(ctx.queryParam("schema"), "schema");
        if (asked != null) {
            if (catalogs().countTables(uid, catalog, asked) == 0
                    && !catalogs().schemas(uid, catalog, MAX_LIMIT, 0).contains(asked)) {
                throw ConnectorApiException.notFound(
                        "Schema '" + asked + "' not found in catalog '" + catalog + "'");
            }
            return asked;
        }
        List<String> all = catalogs().schemas(uid, catalog, 3, 0);
        if (all.size() > 1) {
            throw ConnectorApiException.badRequest(
                    "Missing required query parameter: schema (catalog '"
                            + catalog
                            + "' has several, see /schemas)");
        }
        return all.isEmpty() ? null : all.get(0);
    }

    /** The reference's {@code description}: the store keeps none, so it is null. */
    private static Map<String, Object> named(String key, String name) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put(key, name);
        view.put("description", null);
        return view;
    }

    private static Map<String, Object> table(TableSummary t) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("tableName", t.name());
        view.put("tableType", t.type());
        view.put("rowCount", t.rowCount());
        view.put("sizeInBytes", t.sizeBytes());
        view.put("columnCount", t.columnCount());
        return view;
    }

    private static Map<String, Object> column(CatalogColumn c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("columnName", c.name());
        view.put("dataType", c.dataType());
        view.put("isNullable", c.nullable());
        view.put("isPrimaryKey", c.primaryKey());
        view.put("ordinalPosition", c.ordinal());
        return view;
    }

    private record Page(int limit, int offset) {
        static Page of(Context ctx) {
            return new Page(
                    ConnectorRequest.queryRange(
                            ctx.queryParam("limit"), "limit", 1, MAX_LIMIT, MAX_LIMIT),
                    ConnectorRequest.queryRange(
                            ctx.queryParam("offset"), "offset", 0, 100_000_000, 0));
        }
    }
}
