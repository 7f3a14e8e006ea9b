package dev.millrace.api.platform.ws;

import dev.millrace.crds.model.Model;
import dev.millrace.crds.model.ModelStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;

/**
 * Turns the operator's writes of a Model's status into dbt events: status turning {@code running}
 * (or a new run id while running) is {@code dbt_run_started}; a run that ends {@code success} is
 * {@code dbt_run_completed}, one that ends {@code error} is {@code dbt_run_failed}. Only
 * transitions count, so Models already there when the server starts announce nothing; a run that
 * was skipped ({@code not_run}) never ran and announces nothing either.
 */
public final class ModelEventInformer implements AutoCloseable {
    private final SharedIndexInformer<Model> informer;

    public ModelEventInformer(KubernetesClient client, String namespace, PlatformEvents events) {
        this.informer =
                client.resources(Model.class)
                        .inNamespace(namespace)
                        .inform(
                                new ResourceEventHandler<>() {
                                    @Override
                                    public void onAdd(Model model) {}

                                    @Override
                                    public void onUpdate(Model before, Model after) {
                                        announce(before, after, events);
                                    }

                                    @Override
                                    public void onDelete(Model model, boolean unknownFinalState) {}
                                },
                                0);
    }

    static void announce(Model before, Model after, PlatformEvents events) {
        ModelStatus was = before == null ? null : before.getStatus();
        ModelStatus now = after.getStatus();
        if (now == null || now.status == null) {
            return;
        }
        String model = after.getMetadata().getName();
        ModelStatus.Phase previous = was == null ? null : was.status;
        boolean sameRun = was != null && Objects.equals(was.lastRunId, now.lastRunId);
        if (previous == now.status && sameRun) {
            return;
        }
        switch (now.status) {
            case RUNNING -> {
                if (previous != ModelStatus.Phase.RUNNING || !sameRun) {
                    events.dbtRunStarted(model);
                }
            }
            case SUCCESS -> events.dbtRunCompleted(model);
            case ERROR ->
                    events.dbtRunFailed(
                            model, now.lastError != null ? now.lastError : "Model run failed");
            case NOT_RUN -> {}
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
