package dev.millrace.api.airbyte;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Finding Millrace objects by their Airbyte id (metadata.uid) and listing them by workspace. */
final class Lookups {
    private final KubernetesClient client;

    Lookups(KubernetesClient client) {
        this.client = client;
    }

    /** The object whose uid is {@code id} (already checked to be a UUID); 404 when none. */
    <T extends HasMetadata> T byUid(Class<T> type, String id, String kind) {
        return client.resources(type).inAnyNamespace().list().getItems().stream()
                .filter(r -> id.equalsIgnoreCase(r.getMetadata().getUid()))
                .findFirst()
                .orElseThrow(() -> PublicApiException.notFound(kind, id));
    }

    /** The objects of the namespaces (null: every namespace), by namespace, then name. */
    <T extends HasMetadata> List<T> list(Class<T> type, List<String> namespaces) {
        List<T> items = new ArrayList<>();
        if (namespaces == null) {
            items.addAll(client.resources(type).inAnyNamespace().list().getItems());
        } else {
            for (String namespace : namespaces) {
                items.addAll(client.resources(type).inNamespace(namespace).list().getItems());
            }
        }
        items.sort(
                Comparator.comparing((T r) -> r.getMetadata().getNamespace())
                        .thenComparing(r -> r.getMetadata().getName()));
        return items;
    }

    /** uid by "namespace/name" of the objects of the namespaces (null: every namespace). */
    <T extends HasMetadata> Map<String, String> uids(Class<T> type, List<String> namespaces) {
        Map<String, String> uids = new HashMap<>();
        for (T item : list(type, namespaces)) {
            uids.put(
                    key(item.getMetadata().getNamespace(), item.getMetadata().getName()),
                    item.getMetadata().getUid());
        }
        return uids;
    }

    static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
