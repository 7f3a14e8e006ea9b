package dev.millrace.operator.kube;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Objects;

/**
 * The one place that writes status. It sends a PUT to the status subresource carrying the
 * resourceVersion the reconcile read, so a concurrent writer makes it fail with 409 and JOSDK
 * retries the reconcile on fresh data. JSON merge patch is avoided on purpose: the Fabric8 mock
 * server (local mode) appends arrays and stores nulls with it (DESIGN §9). Unchanged status is
 * never written, which keeps the reconcile loop quiet.
 */
public final class StatusWriter {
    private final KubernetesClient client;

    public StatusWriter(KubernetesClient client) {
        this.client = client;
    }

    /** Writes {@code desired} as the status of {@code current} unless it is unchanged. */
    public <S, R extends CustomResource<?, S>> R write(R current, S desired) {
        if (sameJson(current.getStatus(), desired)) {
            return current;
        }
        R copy = Serialization.clone(current);
        copy.setStatus(desired);
        return client.resource(copy).updateStatus();
    }

    static boolean sameJson(Object a, Object b) {
        JsonNode left = a == null ? null : Serialization.jsonMapper().valueToTree(a);
        JsonNode right = b == null ? null : Serialization.jsonMapper().valueToTree(b);
        return Objects.equals(left, right);
    }
}
