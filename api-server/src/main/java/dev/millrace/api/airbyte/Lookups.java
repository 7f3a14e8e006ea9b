package dev.millrace.api.airbyte;

import dev.millrace.api.kube.ResourceCache;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finding Millrace objects by their Airbyte id (metadata.uid) and listing them by workspace, from
 * the API server's cache.
 */
final class Lookups {
    private final ResourceCache resources;

    Lookups(ResourceCache resources) {
        this.resources = resources;
    }

    /** The object whose uid is {@code id} (already checked to be a UUID); 404 when none. */
    <T extends HasMetadata> T byUid(Class<T> type, String id, String kind) {
        return resources
                .findOrFetch(type, r -> id.equalsIgnoreCase(r.getMetadata().getUid()))
                .orElseThrow(() -> PublicApiException.notFound(kind, id));
    }

    /** The objects of the namespaces (null: every namespace), by namespace, then name. */
    <T extends HasMetadata> List<T> list(Class<T> type, List<String> namespaces) {
        if (namespaces == null) {
            return resources.list(type, null);
        }
        return resources.derived(
                type,
                new Listed(List.copyOf(namespaces)),
                () -> {
                    List<T> items = new ArrayList<>();
                    for (String namespace : namespaces) {
                        items.addAll(resources.list(type, namespace));
                    }
                    items.sort(
                            Comparator.comparing((T r) -> r.getMetadata().getNamespace())
                                    .thenComparing(r -> r.getMetadata().getName()));
                    return List.copyOf(items);
                });
    }

    /** uid by "namespace/name" of the objects of the namespaces (null: every namespace). */
    <T extends HasMetadata> Map<String, String> uids(Class<T> type, List<String> namespaces) {
        return resources.derived(
                type,
                new Uids(namespaces == null ? null : List.copyOf(namespaces)),
                () -> {
                    Map<String, String> uids = new HashMap<>();
                    for (T item : list(type, namespaces)) {
                        uids.put(
                                key(
                                        item.getMetadata().getNamespace(),
                                        item.getMetadata().getName()),
                                item.getMetadata().getUid());
                    }
                    return Map.copyOf(uids);
                });
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** Cache keys of the values derived here, apart from each other and from other callers'. */
    private record Listed(List<String> namespaces) {}

    private record Uids(List<String> namespaces) {}
}
