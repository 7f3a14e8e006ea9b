package dev.millrace.api.airbyte;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.api.kube.ResourceCache;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.source.Source;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * /sources: an Airbyte source is a Source resource. {@code configuration} is flat: {@code
 * sourceType} plus the folder settings of a csv source ({@code directory}, {@code glob}, {@code
 * delimiter}, {@code header}) and optional {@code streams}; only csv sources can be created or
 * reconfigured here, because csv is what the sync engine reads today.
 */
final class SourceEndpoints {
    static final String PATH = AirbytePublicApi.BASE + "/sources";
    private static final Set<String> CREATE_FIELDS = Set.of("name", "workspaceId", "configuration");
    private static final Set<String> PATCH_FIELDS = Set.of("name", "workspaceId", "configuration");
    private static final Set<String> CSV_FIELDS =
            Set.of("sourceType", "directory", "glob", "delimiter", "header", "streams");
    private static final Set<String> STREAM_FIELDS = Set.of("name", "glob");

    private final KubernetesClient client;
    private final ResourceCache resources;
    private final Workspaces workspaces;
    private final Lookups lookups;
    private final ResourceWrites writes;

    SourceEndpoints(KubernetesClient client, ResourceCache resources) {
        this.client = client;
        this.resources = resources;
        this.workspaces = new Workspaces(resources);
        this.lookups = new Lookups(resources);
        this.writes = new ResourceWrites(client, resources);
    }

    void list(Context ctx) {
        List<String> namespaces = workspaces.namespacesOf(ctx.queryParam("workspaceIds"));
        Paging paging = Paging.of(ctx);
        List<Source> all = lookups.list(Source.class, namespaces);
        Map<String, String> ids = workspaces.idsByName();
        ctx.json(
                paging.body(
                        paging.slice(all).stream().map(s -> view(s, ids)).toList(),
                        all.size(),
                        ctx));
    }

    void get(Context ctx) {
        ctx.json(view(find(ctx), workspaces.idsByName()));
    }

    void create(Context ctx) {
        ObjectNode body = Requests.object(ctx.body());
        Requests.onlyFields(body, CREATE_FIELDS, "");
        String name = Requests.requiredText(body, "name", "");
        String namespace =
                workspaces.namespaceOf(Requests.uuidField(body, "workspaceId", "workspace"));
        ObjectNode configuration = Requests.optionalObject(body, "configuration", "");
        if (configuration == null) {
            throw PublicApiException.invalidBody("configuration is required");
        }
        ObjectNode object = Requests.mapper().createObjectNode();
        object.put("apiVersion", MillraceApi.API_VERSION).put("kind", "Source");
        object.putObject("metadata").put("namespace", namespace);
        ObjectNode spec = object.putObject("spec");
        spec.put("displayName", name);
        applyConfiguration(spec, configuration);
        Source created = writes.create(Source.class, object, Slugs.slug(name, "source"));
        ctx.json(view(created, workspaces.idsByName()));
    }

    /**
     * PATCH: name and configuration keys given are changed; a configuration key sent as null is
     * unset.
     */
    void patch(Context ctx) {
        Source current = find(ctx);
        ObjectNode body = Requests.object(ctx.body());
        Requests.onlyFields(body, PATCH_FIELDS, "");
        String name = Requests.text(body, "name", "");
        workspaces.requireSame(body, current.getMetadata().getNamespace(), "source");
        ObjectNode configuration = Requests.optionalObject(body, "configuration", "");
        Source updated =
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
        Source current = find(ctx);
        ObjectNode body = Requests.object(ctx.body());
        Requests.onlyFields(body, Set.of("name", "configuration"), "");
        String name = Requests.requiredText(body, "name", "");
        ObjectNode configuration = Requests.optionalObject(body, "configuration", "");
        if (configuration == null) {
            throw PublicApiException.invalidBody("configuration is required");
        }
        Source updated =
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

    /** DELETE: refused while a Connection reads the source (delete those first). */
    void delete(Context ctx) {
        Source current = find(ctx);
        String namespace = current.getMetadata().getNamespace();
        List<String> users =
                client.resources(Connection.class).inNamespace(namespace).list().getItems().stream()
                        .filter(
                                c ->
                                        c.getSpec() != null
                                                && c.getSpec().sourceRef != null
                                                && current.getMetadata()
                                                        .getName()
                                                        .equals(c.getSpec().sourceRef.name))
                        .map(c -> c.getMetadata().getUid())
                        .toList();
        if (!users.isEmpty()) {
            throw PublicApiException.conflict(
                    "Source "
                            + current.getMetadata().getUid()
                            + " is used by connection(s) "
                            + String.join(", ", users)
                            + "; delete them first");
        }
        client.resource(current).delete();
        resources.awaitGone(
                Source.class,
                current.getMetadata().getNamespace(),
                current.getMetadata().getName());
        ctx.status(204);
    }

    private Source find(Context ctx) {
        return lookups.byUid(
                Source.class, Requests.uuid(ctx.pathParam("sourceId"), "source"), "source");
    }

    /** Sets spec.type, spec.files and spec.streams from a csv configuration. */
    private static void applyConfiguration(ObjectNode spec, ObjectNode configuration) {
        Requests.onlyFields(configuration, CSV_FIELDS, "configuration.");
        String sourceType = Requests.requiredText(configuration, "sourceType", "configuration.");
        if (!sourceType.equals("csv")) {
            throw PublicApiException.invalidBody(
                    "sourceType '"
                            + sourceType
                            + "' is not supported: this API creates and configures csv sources"
                            + " (a folder of CSV files) only");
        }
        spec.put("type", "csv");
        ObjectNode files = spec.putObject("files");
        for (String field : List.of("directory", "glob", "delimiter", "header")) {
            if (Requests.present(configuration, field)) {
                files.set(field, configuration.get(field));
            }
        }
        JsonNode streams = configuration.get("streams");
        if (streams == null || streams.isNull()) {
            spec.remove("streams");
        } else {
            if (!streams.isArray()) {
                throw PublicApiException.invalidBody("configuration.streams must be an array");
            }
            for (int i = 0; i < streams.size(); i++) {
                if (!streams.get(i).isObject()) {
                    throw PublicApiException.invalidBody(
                            "configuration.streams[" + i + "] must be an object");
                }
                Requests.onlyFields(
                        (ObjectNode) streams.get(i),
                        STREAM_FIELDS,
                        "configuration.streams[" + i + "].");
            }
            spec.set("streams", streams);
        }
    }

    /** The configuration of a Source, as this API shows and accepts it. */
    static ObjectNode configurationOf(JsonNode spec) {
        ObjectNode configuration = Requests.mapper().createObjectNode();
        configuration.set("sourceType", spec.path("type"));
        JsonNode files = spec.path("files");
        for (String field : List.of("directory", "glob", "delimiter", "header")) {
            if (files.hasNonNull(field)) {
                configuration.set(field, files.get(field));
            }
        }
        if (spec.path("streams").isArray() && !spec.path("streams").isEmpty()) {
            configuration.set("streams", spec.get("streams"));
        }
        if (spec.path("connectorRef").hasNonNull("name")) {
            configuration.set("connector", spec.path("connectorRef").get("name"));
        }
        return configuration;
    }

    static Map<String, Object> view(Source source, Map<String, String> workspaceIds) {
        JsonNode spec = Requests.mapper().valueToTree(source.getSpec());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("sourceId", source.getMetadata().getUid());
        view.put(
                "name",
                spec.hasNonNull("displayName")
                        ? spec.get("displayName").asText()
                        : source.getMetadata().getName());
        view.put("sourceType", spec.path("type").asText());
        view.put("workspaceId", Workspaces.idIn(workspaceIds, source.getMetadata().getNamespace()));
        view.put("configuration", configurationOf(spec));
        return view;
    }
}
