package dev.millrace.operator.kube;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Status writes from outside an object's own reconcile (e.g. a Connection's completed Job updating
 * its Pipeline): read the latest object, compute the status, write it with {@link StatusWriter},
 * and on a 409 conflict start over from the newer object, because there is no JOSDK retry to fall
 * back on.
 */
public final class StatusUpdates {
    private static final int ATTEMPTS = 5;

    private StatusUpdates() {}

    /**
     * Writes the status {@code desired} computes from the latest object; empty when the object does
     * not exist.
     *
     * @param desired must return a new status object, not the live one changed in place (an
     *     in-place change would look unchanged to {@link StatusWriter})
     */
    public static <S, R extends CustomResource<?, S>> Optional<R> update(
            KubernetesClient client,
            Class<R> type,
            String namespace,
            String name,
            Function<R, S> desired) {
        KubernetesClientException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            R current = client.resources(type).inNamespace(namespace).withName(name).get();
            if (current == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(new StatusWriter(client).write(current, desired.apply(current)));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }
}
