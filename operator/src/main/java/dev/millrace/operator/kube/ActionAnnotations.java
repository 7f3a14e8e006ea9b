package dev.millrace.operator.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;

/**
 * Removes one-shot action annotations (e.g. {@code millrace.dev/sync}) after the operator acted on
 * them. A JSON Patch with a {@code test} operation removes the annotation only if it still holds
 * the value that was acted on, so a newer request written meanwhile is never lost.
 */
public final class ActionAnnotations {
    private final KubernetesClient client;

    public ActionAnnotations(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Removes {@code key} if it still equals {@code actedOnValue}; returns false when the value
     * changed meanwhile (the next reconcile sees the new one).
     */
    public boolean remove(HasMetadata resource, String key, String actedOnValue) {
        String pointer = "/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1");
        String patch =
                Serialization.asJson(
                        List.of(
                                Map.of("op", "test", "path", pointer, "value", actedOnValue),
                                Map.of("op", "remove", "path", pointer)));
        try {
            client.resource(resource).patch(PatchContext.of(PatchType.JSON), patch);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return true;
            }
            if (e.getCode() == 422
                    || e.getCode() == 409
                    || e.getCode() == 400
                    || e.getCode() == 500) {
                String now = currentValue(resource, key);
                if (now == null) {
                    return true;
                }
                if (!now.equals(actedOnValue)) {
                    return false;
                }
            }
            throw e;
        }
    }

    private String currentValue(HasMetadata resource, String key) {
        HasMetadata latest = client.resource(resource).get();
        if (latest == null || latest.getMetadata().getAnnotations() == null) {
            return null;
        }
        return latest.getMetadata().getAnnotations().get(key);
    }
}
