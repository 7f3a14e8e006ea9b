package dev.millrace.api.airbyte;

import dev.millrace.api.kube.ResourceCache;
import io.fabric8.kubernetes.api.model.Namespace;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A workspace is a namespace; its workspaceId is the namespace's metadata.uid. A namespace without
 * a uid (some test servers create none) gets the name-based UUID (version 3) of its name, so the id
 * is stable either way.
 */
final class Workspaces {
    private final ResourceCache resources;

    Workspaces(ResourceCache resources) {
        this.resources = resources;
    }

    static String idOf(Namespace namespace) {
        String uid = namespace.getMetadata().getUid();
        return uid == null || uid.isBlank() ? derivedId(namespace.getMetadata().getName()) : uid;
    }

    static String derivedId(String namespace) {
        return UUID.nameUUIDFromBytes(namespace.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Every namespace by name, sorted by name. */
    List<Namespace> all() {
        return resources.list(Namespace.class, null);
    }

    /** workspaceId by namespace name. */
    Map<String, String> idsByName() {
        return resources.derived(
                Namespace.class,
                IdsByName.class,
                () -> {
                    Map<String, String> ids = new LinkedHashMap<>();
                    for (Namespace namespace : all()) {
                        ids.put(namespace.getMetadata().getName(), idOf(namespace));
                    }
                    return java.util.Collections.unmodifiableMap(ids);
                });
    }

    /** The cache key of {@link #idsByName}. */
    private static final class IdsByName {}

    /** The workspaceId of a namespace, also for one the cluster does not list. */
    static String idIn(Map<String, String> idsByName, String namespace) {
        String id = idsByName.get(namespace);
        return id == null ? derivedId(namespace) : id;
    }

    /** The namespace of a workspace id; 404 when there is none. */
    String namespaceOf(String workspaceId) {
        return find(workspaceId)
                .orElseThrow(() -> PublicApiException.notFound("workspace", workspaceId));
    }

    private Optional<String> find(String workspaceId) {
        return resources
                .findOrFetch(Namespace.class, n -> idOf(n).equalsIgnoreCase(workspaceId))
                .map(n -> n.getMetadata().getName());
    }

    /**
     * The namespaces the {@code workspaceIds} query parameter (comma-separated) names, or null for
     * all of them.
     */
    List<String> namespacesOf(String workspaceIds) {
        if (workspaceIds == null || workspaceIds.isBlank()) {
            return null;
        }
        java.util.LinkedHashSet<String> namespaces = new java.util.LinkedHashSet<>();
        for (String raw : workspaceIds.split(",")) {
            String id;
            try {
                id = Requests.uuid(raw.trim(), "workspace");
            } catch (PublicApiException e) {
                throw PublicApiException.invalidQuery("workspaceIds: " + e.getMessage());
            }
            namespaces.add(
                    find(id).orElseThrow(() -> PublicApiException.notFound("workspace", id)));
        }
        return List.copyOf(namespaces);
    }

    /**
     * A PATCH may repeat the object's workspaceId but not change it: moving an object to another
     * namespace is a delete and a create in Kubernetes, with a new id.
     */
    void requireSame(
            com.fasterxml.jackson.databind.node.ObjectNode body, String namespace, String kind) {
        if (!Requests.present(body, "workspaceId")) {
            return;
        }
        String id = Requests.uuidField(body, "workspaceId", "workspace");
        if (!id.equalsIgnoreCase(idIn(idsByName(), namespace))) {
            throw PublicApiException.invalidBody(
                    "workspaceId cannot change: a "
                            + kind
                            + " cannot move to another workspace;"
                            + " create it there instead");
        }
    }
}
