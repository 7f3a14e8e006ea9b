package dev.millrace.api.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.kube.ResourceCache;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionSpec;
import dev.millrace.crds.connection.ConnectionStatus;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/connections}: each Connection with what a person watching syncs wants on one
 * line: schedule and next run, streams and their sync modes, the last job and its live progress.
 * The public family's connection shape has no next run or progress, so the web UI reads this one
 * and keeps using the public family for jobs and cancelling them.
 */
final class ConnectionViews {
    private final ResourceCache resources;
    private final String namespace;
    private final ObjectMapper json =
            new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    ConnectionViews(ResourceCache resources, String namespace) {
        this.resources = resources;
        this.namespace = namespace;
    }

    void list(Context ctx) {
        ctx.json(resources.list(Connection.class, namespace).stream().map(this::view).toList());
    }

    private Map<String, Object> view(Connection connection) {
        ConnectionSpec spec = connection.getSpec();
        ConnectionStatus status = connection.getStatus();
        String name = connection.getMetadata().getName();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put("connection_id", connection.getMetadata().getUid());
        view.put("display_name", spec.displayName == null ? name : spec.displayName);
        view.put("source", spec.sourceRef == null ? null : spec.sourceRef.name);
        view.put("destination", spec.destinationRef == null ? null : spec.destinationRef.name);
        view.put("suspended", spec.isSuspended());
        view.put("schedule", json.valueToTree(spec.scheduleOrManual()));
        view.put("streams", json.valueToTree(spec.streams));
        view.put("next_sync_at", status == null ? null : status.nextSyncAt);
        view.put("last_success_at", status == null ? null : status.lastSuccessAt);
        view.put(
                "last_job",
                status == null || status.lastJob == null ? null : json.valueToTree(status.lastJob));
        view.put("stream_states", status == null ? List.of() : json.valueToTree(status.streams));
        view.put("conditions", status == null ? List.of() : json.valueToTree(status.conditions));
        return view;
    }
}
