package dev.millrace.operator.local;

import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.model.Model;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of Kubernetes' garbage collector local mode needs, because the mock server has none:
 * when a Connection (or a Model) is deleted its Jobs go, and when a Job is deleted its Pods go
 * (background propagation, matched by owner reference uid).
 */
public final class OwnerGarbageCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerGarbageCollector.class);

    private final KubernetesClient client;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    public OwnerGarbageCollector(KubernetesClient client) {
        this.client = client;
    }

    public OwnerGarbageCollector start() {
        informers.add(
                client.resources(Connection.class)
                        .inAnyNamespace()
                        .inform(
                                onDelete(
                                        owner ->
                                                client.batch()
                                                        .v1()
                                                        .jobs()
                                                        .inNamespace(
                                                                owner.getMetadata().getNamespace())
                                                        .withLabel(
                                                                MillraceApi.MANAGED_BY_LABEL,
                                                                MillraceApi.MANAGED_BY)
                                                        .list()
                                                        .getItems())));
        informers.add(
                client.resources(Model.class)
                        .inAnyNamespace()
                        .inform(
                                onDelete(
                                        owner ->
                                                client.batch()
                                                        .v1()
                                                        .jobs()
                                                        .inNamespace(
                                                                owner.getMetadata().getNamespace())
                                                        .withLabel(
                                                                MillraceApi.MANAGED_BY_LABEL,
                                                                MillraceApi.MANAGED_BY)
                                                        .list()
                                                        .getItems())));
        informers.add(
                client.batch()
                        .v1()
                        .jobs()
                        .inAnyNamespace()
                        .withLabel(MillraceApi.MANAGED_BY_LABEL, MillraceApi.MANAGED_BY)
                        .inform(
                                onDelete(
                                        owner ->
                                                client.pods()
                                                        .inNamespace(
                                                                owner.getMetadata().getNamespace())
                                                        .withLabel(
                                                                "job-name",
                                                                owner.getMetadata().getName())
                                                        .list()
                                                        .getItems())));
        return this;
    }

    private <O extends HasMetadata> ResourceEventHandler<O> onDelete(
            Function<O, List<? extends HasMetadata>> candidates) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(O obj) {}

            @Override
            public void onUpdate(O oldObj, O newObj) {}

            @Override
            public void onDelete(O owner, boolean unknownFinalState) {
                for (HasMetadata dependent : candidates.apply(owner)) {
                    boolean owned =
                            dependent.getMetadata().getOwnerReferences().stream()
                                    .anyMatch(
                                            ref ->
                                                    ref.getUid() != null
                                                            && ref.getUid()
                                                                    .equals(
                                                                            owner.getMetadata()
                                                                                    .getUid()));
                    if (owned) {
                        try {
                            client.resource(dependent).delete();
                        } catch (KubernetesClientException e) {
                            LOG.warn(
                                    "Could not delete {} {} of deleted {} {}: {}",
                                    dependent.getKind(),
                                    dependent.getMetadata().getName(),
                                    owner.getKind(),
                                    owner.getMetadata().getName(),
                                    e.getMessage());
                        }
                    }
                }
            }
        };
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
