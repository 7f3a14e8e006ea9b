package dev.millrace.api.airbyte;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.api.kube.ResourceCache;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.source.Source;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * /connections: an Airbyte connection is a Connection resource. {@code status} active/inactive is
 * {@code spec.suspend} false/true; {@code schedule} has the CRD's own field names; a stream's
 * {@code cursorField} (an Airbyte field path) and {@code primaryKey} (a list of field paths) hold
 * top-level columns only, because the sync engine keys on columns.
 */
final class ConnectionEndpoints {
    static final String PATH = AirbytePublicApi.BASE + "/connections";
    private static final Set<String> CREATE_FIELDS =
            Set.of("name", "sourceId", "destinationId", "configurations", "schedule", "status");
    private static final Set<String> PATCH_FIELDS =
            Set.of("name", "configurations", "schedule", "status");
    private static final Set<String> SCHEDULE_FIELDS =
            Set.of("scheduleType", "basicTiming", "cronExpression", "timeZone");
    private static final Set<String> STREAM_FIELDS =
            Set.of("name", "syncMode", "cursorField", "primaryKey");

    private final KubernetesClient client;
    private final ResourceCache resources;
    private final Store store;
    private final Workspaces workspaces;
    private final Lookups lookups;
    private final ResourceWrites writes;
    private final Object jobRequests;

    ConnectionEndpoints(
            KubernetesClient client, ResourceCache resources, Store store, Object jobRequests) {
        this.client = client;
        this.resources = resources;
        this.store = store;
        this.jobRequests = jobRequests;
        this.workspaces = new Workspaces(resources);
        this.lookups = new Lookups(resources);
        this.writes = new ResourceWrites(client, resources);
    }

    void list(Context ctx) {
        List<String> namespaces = workspaces.namespacesOf(ctx.queryParam("workspaceIds"));
        Paging paging = Paging.of(ctx);
        List<Connection> all = lookups.list(Connection.class, namespaces);
        Map<String, String> ids = workspaces.idsByName();
        Map<String, String> sources = lookups.uids(Source.class, namespaces);
        Map<String, String> destinations = lookups.uids(Destination.class, namespaces);
        ctx.json(
                paging.body(
                        paging.slice(all).stream()
                                .map(c -> view(c, ids, sources, destinations))
                                .toList(),
                        all.size(),
                        ctx));
    }

    void get(Context ctx) {
        ctx.json(view(find(ctx)));
    }

    void create(Context ctx) {
        ObjectNode body = Requests.object(ctx.body());
        Requests.onlyFields(body, CREATE_FIELDS, "");
        String name = Requests.text(body, "name", "");
        Source source =
                lookups.byUid(
                        Source.class, Requests.uuidField(body, "sourceId", "source"), "source");
        Destination destination =
                lookups.byUid(
                        Destination.class,
                        Requests.uuidField(body, "destinationId", "destination"),
                        "destination");
        String namespace = source.getMetadata().getNamespace();
        if (!namespace.equals(destination.getMetadata().getNamespace())) {
            throw PublicApiException.invalidBody(
                    "sourceId and destinationId must be in the same workspace");
        }
        if (name == null) {
            // Airbyte's default name for a new connection.
            name =
                    SourceEndpoints.view(source, Map.of()).get("name")
                            + " → "
                            + DestinationEndpoints.view(destination, Map.of()).get("name");
        }
        ObjectNode object = Requests.mapper().createObjectNode();
        object.put("apiVersion", MillraceApi.API_VERSION).put("kind", "Connection");
        object.putObject("metadata").put("namespace", namespace);
        ObjectNode spec = object.putObject("spec");
        spec.put("displayName", name);
        spec.putObject("sourceRef").put("name", source.getMetadata().getName());
        spec.putObject("destinationRef").put("name", destination.getMetadata().getName());
        applyChanges(spec, body);
        Connection created =
                writes.create(Connection.class, object, Slugs.slug(name, "connection"));
        ctx.json(view(created));
    }

    /**
     * PATCH: the fields given replace the connection's; configurations.streams replaces every
     * stream.
     */
    void patch(Context ctx) {
        Connection current = find(ctx);
        ObjectNode body = Requests.object(ctx.body());
        Requests.onlyFields(body, PATCH_FIELDS, "");
        String name = Requests.text(body, "name", "");
        // Parse once against a scratch spec so a bad body fails before anything is read again.
        applyChanges(Requests.mapper().createObjectNode(), body);
        Connection updated =
                writes.update(
                        current,
                        tree -> {
                            ObjectNode spec = (ObjectNode) tree.get("spec");
                            if (name != null) {
                                spec.put("displayName", name);
                            }
                            applyChanges(spec, body);
                            return tree;
                        });
        ctx.json(view(updated));
    }

    /** DELETE: refused while a sync of the connection is requested or running (cancel it first). */
    void delete(Context ctx) {
        Connection current = find(ctx);
        synchronized (jobRequests) {
            if (JobEndpoints.syncPendingOrActive(current, store)) {
                throw PublicApiException.conflict(
                        "Connection "
                                + current.getMetadata().getUid()
                                + " has a sync requested or running; cancel its job first");
            }
            client.resource(current).delete();
        }
        resources.awaitGone(
                Connection.class,
                current.getMetadata().getNamespace(),
                current.getMetadata().getName());
        ctx.status(204);
    }

    private Connection find(Context ctx) {
        return lookups.byUid(
                Connection.class,
                Requests.uuid(ctx.pathParam("connectionId"), "connection"),
                "connection");
    }

    /** Sets status, schedule and streams given in {@code body} on {@code spec}. */
    private static void applyChanges(ObjectNode spec, ObjectNode body) {
        String status = Requests.text(body, "status", "");
        if (status != null) {
            if (!status.equals("active") && !status.equals("inactive")) {
                throw PublicApiException.invalidBody(
                        "status must be active or inactive, got '" + status + "'");
            }
            spec.put("suspend", status.equals("inactive"));
        }
        ObjectNode schedule = Requests.optionalObject(body, "schedule", "");
        if (schedule != null) {
            Requests.onlyFields(schedule, SCHEDULE_FIELDS, "schedule.");
            if (!Requests.present(schedule, "scheduleType")) {
                throw PublicApiException.invalidBody("schedule.scheduleType is required");
            }
            ObjectNode replacement = spec.putObject("schedule");
            schedule.fields()
                    .forEachRemaining(
                            field -> {
                                if (!field.getValue().isNull()) {
                                    replacement.set(field.getKey(), field.getValue());
                                }
                            });
            CronSchedules.check(replacement);
        }
        ObjectNode configurations = Requests.optionalObject(body, "configurations", "");
        if (configurations != null) {
            Requests.onlyFields(configurations, Set.of("streams"), "configurations.");
            JsonNode streams = configurations.get("streams");
            if (streams != null && !streams.isNull()) {
                spec.set("streams", streams(streams));
            }
        }
    }

    private static ArrayNode streams(JsonNode streams) {
        if (!streams.isArray()) {
            throw PublicApiException.invalidBody("configurations.streams must be an array");
        }
        ArrayNode result = Requests.mapper().createArrayNode();
        for (int i = 0; i < streams.size(); i++) {
            String where = "configurations.streams[" + i + "].";
            JsonNode stream = streams.get(i);
            if (!stream.isObject()) {
                throw PublicApiException.invalidBody(
                        "configurations.streams[" + i + "] must be an object");
            }
            Requests.onlyFields((ObjectNode) stream, STREAM_FIELDS, where);
            ObjectNode out = result.addObject();
            out.put("name", Requests.requiredText(stream, "name", where));
            String syncMode = Requests.text(stream, "syncMode", where);
            if (syncMode != null) {
                out.put("syncMode", syncMode);
            }
            JsonNode cursor = stream.get("cursorField");
            if (cursor != null && !cursor.isNull()) {
                List<String> path = fieldPath(cursor, where + "cursorField");
                if (path.size() > 1) {
                    throw PublicApiException.invalidBody(
                            where
                                    + "cursorField: nested field paths are not supported, only a"
                                    + " top-level column such as [\"updated_at\"]");
                }
                if (path.size() == 1) {
                    out.put("cursorField", path.get(0));
                }
            }
            JsonNode primaryKey = stream.get("primaryKey");
            if (primaryKey != null && !primaryKey.isNull()) {
                if (!primaryKey.isArray()) {
                    throw PublicApiException.invalidBody(
                            where + "primaryKey must be an array of field paths, e.g. [[\"id\"]]");
                }
                ArrayNode columns = out.putArray("primaryKey");
                for (int k = 0; k < primaryKey.size(); k++) {
                    List<String> path =
                            fieldPath(primaryKey.get(k), where + "primaryKey[" + k + "]");
                    if (path.size() != 1) {
                        throw PublicApiException.invalidBody(
                                where
                                        + "primaryKey["
                                        + k
                                        + "]: each key is one top-level column such as [\"id\"];"
                                        + " nested field paths are not supported");
                    }
                    columns.add(path.get(0));
                }
            }
        }
        return result;
    }

    /** An Airbyte field path: an array of strings. */
    private static List<String> fieldPath(JsonNode node, String where) {
        if (!node.isArray()) {
            throw PublicApiException.invalidBody(
                    where + " must be an array of strings, e.g. [\"updated_at\"]");
        }
        List<String> path = new java.util.ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw PublicApiException.invalidBody(where + " must be an array of strings");
            }
            path.add(element.textValue());
        }
        return path;
    }

    private Map<String, Object> view(Connection connection) {
        List<String> namespace = List.of(connection.getMetadata().getNamespace());
        return view(
                connection,
                workspaces.idsByName(),
                lookups.uids(Source.class, namespace),
                lookups.uids(Destination.class, namespace));
    }

    static Map<String, Object> view(
            Connection connection,
            Map<String, String> workspaceIds,
            Map<String, String> sourceUids,
            Map<String, String> destinationUids) {
        String namespace = connection.getMetadata().getNamespace();
        JsonNode spec = Requests.mapper().valueToTree(connection.getSpec());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("connectionId", connection.getMetadata().getUid());
        view.put(
                "name",
                spec.hasNonNull("displayName")
                        ? spec.get("displayName").asText()
                        : connection.getMetadata().getName());
        view.put(
                "sourceId",
                sourceUids.get(
                        Lookups.key(namespace, spec.path("sourceRef").path("name").asText())));
        view.put(
                "destinationId",
                destinationUids.get(
                        Lookups.key(namespace, spec.path("destinationRef").path("name").asText())));
        view.put("workspaceId", Workspaces.idIn(workspaceIds, namespace));
        view.put("status", spec.path("suspend").asBoolean(false) ? "inactive" : "active");
        JsonNode schedule = spec.path("schedule");
        if (schedule.isObject()) {
            view.put("schedule", schedule);
        } else {
            view.put("schedule", Map.of("scheduleType", "manual"));
        }
        ArrayNode streams = Requests.mapper().createArrayNode();
        for (JsonNode stream : spec.path("streams")) {
            ObjectNode out = streams.addObject();
            out.set("name", stream.path("name"));
            out.set("syncMode", stream.path("syncMode"));
            ArrayNode cursor = out.putArray("cursorField");
            if (stream.hasNonNull("cursorField")) {
                cursor.add(stream.get("cursorField").asText());
            }
            ArrayNode primaryKey = out.putArray("primaryKey");
            for (JsonNode column : stream.path("primaryKey")) {
                primaryKey.addArray().add(column.asText());
            }
        }
        view.put("configurations", Map.of("streams", streams));
        return view;
    }
}
