package dev.millrace.api.airbyte;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.api.kube.ResourceCache;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.destination.Destination;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * /destinations: an Airbyte destination is a Destination resource. {@code configuration} is flat:
 * {@code destinationType} plus {@code path} (the DuckDB file) and {@code schemaPrefix}; only duckdb
 * destinations can be created or reconfigured here, because DuckDB is what the sync engine writes
 * today.
 */
final class DestinationEndpoints {
    static final String PATH = AirbytePublicApi.BASE + "/destinations";
    private static final Set<String> BODY_FIELDS = Set.of("name", "workspaceId", "configuration");
    private static final Set<String> DUCKDB_FIELDS =
            Set.of("destinationType", "path", "schemaPrefix");

    private final KubernetesClient client;
    private final ResourceCache resources;
    private final Workspaces workspaces;
    private final Lookups lookups;
    private final ResourceWrites writes;

    DestinationEndpoints(KubernetesClient client, ResourceCache resources) {
        this.client = client;
        this.resources = resources;
        this.workspaces = new Workspaces(resources);
        this.lookups = new Lookups(resources);
        this.writes = new ResourceWrites(client, resources);
    }

    void list(Context ctx) {
        List<String> namespaces = workspaces.namespacesOf(ctx.queryParam("workspaceIds"));
        Paging paging = Paging.of(ctx);
        List<Destination> all = lookups.list(Destination.class, namespaces);
        Map<String, String> ids = workspaces.idsByName();
        ctx.json(
                paging.body(
                        paging.slice(all).stream().map(d -> view(d, ids)).toList(),
                        all.size(),
                        ctx));
    }

    void get(Context ctx) {
        ctx.json(view(find(ctx), workspaces.idsByName()));
    }

    void create(Context ctx) {
        ObjectNode body = Requests.object(ctx.body());
        Requests.onlyFields(body, BODY_FIELDS, "");
        String name = Requests.requiredText(body, "name", "");
        String namespace =
                workspaces.namespaceOf(Requests.uuidField(body, "workspaceId", "workspace"));
        ObjectNode configuration = Requests.optionalObject(body, "configuration", "");
        if (configuration == null) {
            throw PublicApiException.invalidBody("configuration is required");
        }
        ObjectNode object = Requests.mapper().createObjectNode();
        object.put("apiVersion", MillraceApi.API_VERSION).put("kind", "Destination");
        object.putObject("metadata").put("namespace", namespace);
        ObjectNode spec = object.putObject("spec");
        spec.put("displayName", name);
        applyConfiguration(spec, configuration);
        Destination created =
                writes.create(Destination.class, object, Slugs.slug(name, "destination"));
        ctx.json(view(created, workspaces.idsByName()));
    }

    /**
     * PATCH: name and configuration keys given are changed; a configuration key sent as null is
     * unset.
     */
    void patch(Context ctx) {
        Destination current = find(ctx);
        ObjectNode body = Requests.object(ctx.body());
        Requests.onlyFields(body, BODY_FIELDS, "");
        String name = Requests.text(body, "name", "");
        workspaces.requireSame(body, current.getMetadata().getNamespace(), "destination");
        ObjectNode configuration = Requests.optionalObject(body, "configuration", "");
        Destination updated =
                writes.update(
                        current,
                        tree -> {
                            ObjectNode spec = (ObjectNode) tree.get("spec");
                            if (name != null) {
                                spec.put("displayName", name);
                            }
                            if (configuration != null) {
                                applyConfiguration(
                                        spec,
                                        Requests.withChanges(configurationOf(spec), configuration));
                            }
                            return tree;
                        });
        ctx.json(view(updated, workspaces.idsByName()));
    }

    /** PUT: name and configuration are both required and replace what was there. */
    void put(Context ctx) {
        Destination current = find(ctx);
        ObjectNode body = Requests.object(ctx.body());
        Requests.onlyFields(body, Set.of("name", "configuration"), "");
        String name = Requests.requiredText(body, "name", "");
        ObjectNode configuration = Requests.optionalObject(body, "configuration", "");
        if (configuration == null) {
            throw PublicApiException.invalidBody("configuration is required");
        }
        Destination updated =
                writes.update(
                        current,
                        tree -> {
                            ObjectNode spec = (ObjectNode) tree.get("spec");
                            spec.put("displayName", name);
                            applyConfiguration(spec, configuration);
                            return tree;
                        });
        ctx.json(view(updated, workspaces.idsByName()));
    }

    /** DELETE: refused while a Connection writes to the destination (delete those first). */
    void delete(Context ctx) {
        Destination current = find(ctx);
        List<String> users =
                client
                        .resources(Connection.class)
                        .inNamespace(current.getMetadata().getNamespace())
                        .list()
                        .getItems()
                        .stream()
                        .filter(
                                c ->
                                        c.getSpec() != null
                                                && c.getSpec().destinationRef != null
                                                && current.getMetadata()
                                                        .getName()
                                                        .equals(c.getSpec().destinationRef.name))
                        .map(c -> c.getMetadata().getUid())
                        .toList();
        if (!users.isEmpty()) {
            throw PublicApiException.conflict(
                    "Destination "
                            + current.getMetadata().getUid()
                            + " is used by connection(s) "
                            + String.join(", ", users)
                            + "; delete them first");
        }
        client.resource(current).delete();
        resources.awaitGone(
                Destination.class,
                current.getMetadata().getNamespace(),
                current.getMetadata().getName());
        ctx.status(204);
    }

    private Destination find(Context ctx) {
        return lookups.byUid(
                Destination.class,
                Requests.uuid(ctx.pathParam("destinationId"), "destination"),
                "destination");
    }

    /** Sets spec.type, spec.path and spec.schemaPrefix from a duckdb configuration. */
    private static void applyConfiguration(ObjectNode spec, ObjectNode configuration) {
        Requests.onlyFields(configuration, DUCKDB_FIELDS, "configuration.");
        String type = Requests.requiredText(configuration, "destinationType", "configuration.");
        if (!type.equals("duckdb")) {
            throw PublicApiException.invalidBody(
                    "destinationType '"
                            + type
                            + "' is not supported: this API creates and configures duckdb"
                            + " destinations only");
        }
        spec.put("type", "duckdb");
        spec.remove(List.of("path", "schemaPrefix", "connectorRef"));
        for (String field : List.of("path", "schemaPrefix")) {
            if (Requests.present(configuration, field)) {
                spec.set(field, configuration.get(field));
            }
        }
    }

    static ObjectNode configurationOf(JsonNode spec) {
        ObjectNode configuration = Requests.mapper().createObjectNode();
        configuration.set("destinationType", spec.path("type"));
        for (String field : List.of("path", "schemaPrefix")) {
            if (spec.hasNonNull(field)) {
                configuration.set(field, spec.get(field));
            }
        }
        if (spec.path("connectorRef").hasNonNull("name")) {
            configuration.set("connector", spec.path("connectorRef").get("name"));
        }
        return configuration;
    }

    static Map<String, Object> view(Destination destination, Map<String, String> workspaceIds) {
        JsonNode spec = Requests.mapper().valueToTree(destination.getSpec());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("destinationId", destination.getMetadata().getUid());
        view.put(
                "name",
                spec.hasNonNull("displayName")
                        ? spec.get("displayName").asText()
                        : destination.getMetadata().getName());
        view.put("destinationType", spec.path("type").asText());
        view.put(
                "workspaceId",
                Workspaces.idIn(workspaceIds, destination.getMetadata().getNamespace()));
        view.put("configuration", configurationOf(spec));
        return view;
    }
}
