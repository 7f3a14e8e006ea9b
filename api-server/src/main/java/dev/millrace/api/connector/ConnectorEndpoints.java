package dev.millrace.api.connector;

import dev.millrace.api.kube.ResourceCache;
import dev.millrace.crds.connector.Connector;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** /api/connector and /api/connector/{connectorID}: list, get, create, update, delete. */
final class ConnectorEndpoints {
    private final ResourceCache resources;
    private final Connectors connectors;
    private final ConnectorWrites writes;

    ConnectorEndpoints(ResourceCache resources, Connectors connectors, ConnectorWrites writes) {
        this.resources = resources;
        this.connectors = connectors;
        this.writes = writes;
    }

    /** The connectors of the family's namespace, filtered by the institution and project labels. */
    void list(Context ctx) {
        Long institution =
                ConnectorRequest.queryInteger(
                        ctx.queryParam(ConnectorRequest.INSTITUTION_ID),
                        ConnectorRequest.INSTITUTION_ID);
        String internal =
                ConnectorRequest.queryLabelValue(
                        ctx.queryParam(ConnectorRequest.INTERNAL_ID), ConnectorRequest.INTERNAL_ID);
        List<Map<String, Object>> views =
                resources.list(Connector.class, connectors.namespace()).stream()
                        .filter(c -> matches(c, Connectors.INSTITUTION_LABEL, institution))
                        .filter(c -> matches(c, Connectors.INTERNAL_LABEL, internal))
                        .map(connectors::summary)
                        .sorted(
                                java.util.Comparator.comparingLong(
                                        v -> ((Number) v.get("connectorID")).longValue()))
                        .toList();
        ctx.json(views);
    }

    void get(Context ctx) {
        ctx.json(connectors.detail(find(ctx)));
    }

    void create(Context ctx) {
        ConnectorRequest request = ConnectorRequest.parse(ctx.body(), true);
        Connector created = writes.create(request);
        ctx.status(201).json(done(connectors.idOf(created), "Connector created successfully"));
    }

    void update(Context ctx) {
        Connector current = find(ctx);
        ConnectorRequest request = ConnectorRequest.parse(ctx.body(), false);
        Connector updated = writes.update(current, request);
        ctx.json(done(connectors.idOf(updated), "Connector updated successfully"));
    }

    void delete(Context ctx) {
        writes.delete(find(ctx));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "Connector deleted successfully");
        body.put("status", "success");
        ctx.json(body);
    }

    Connector find(Context ctx) {
        return connectors.byId(ConnectorRequest.id(ctx.pathParam("connectorID")));
    }

    private static Map<String, Object> done(long id, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connectorID", id);
        body.put("message", message);
        body.put("status", "success");
        return body;
    }

    private static boolean matches(Connector c, String label, Object wanted) {
        if (wanted == null) {
            return true;
        }
        Map<String, String> labels = c.getMetadata().getLabels();
        return labels != null && Objects.equals(labels.get(label), wanted.toString());
    }
}
