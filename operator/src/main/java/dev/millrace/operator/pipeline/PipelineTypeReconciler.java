package dev.millrace.operator.pipeline;

import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.pipelinetype.PipelineType;
import dev.millrace.crds.pipelinetype.PipelineTypeStatus;
import dev.millrace.operator.kube.StatusWriter;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;

/** Gives every PipelineType its integer id; a type has nothing else to reconcile. */
@ControllerConfiguration(name = "pipelinetype")
public class PipelineTypeReconciler implements Reconciler<PipelineType> {
    static final String KIND = "PipelineType";

    private final Store store;
    private final Clock clock;

    public PipelineTypeReconciler(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public UpdateControl<PipelineType> reconcile(PipelineType type, Context<PipelineType> context) {
        PipelineTypeStatus status =
                type.getStatus() == null
                        ? new PipelineTypeStatus()
                        : Serialization.jsonMapper()
                                .convertValue(type.getStatus(), PipelineTypeStatus.class);
        status.id =
                store.idFor(
                        KIND,
                        type.getMetadata().getNamespace(),
                        type.getMetadata().getName(),
                        type.getMetadata().getUid());
        status.observedGeneration = type.getMetadata().getGeneration();
        Conditions.set(
                status.conditions,
                Conditions.READY,
                Conditions.TRUE,
                "Accepted",
                "pipeline type " + type.getSpec().displayName,
                type.getMetadata().getGeneration(),
                clock.instant());
        new StatusWriter(context.getClient()).write(type, status);
        return UpdateControl.noUpdate();
    }
}
