package dev.millrace.operator.destination;

import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.destination.DestinationStatus;
import dev.millrace.crds.destination.DestinationType;
import dev.millrace.operator.kube.StatusWriter;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;

/**
 * Checks what a Destination needs besides its schema: a postgres destination's Connector must
 * exist, and only duckdb destinations can be written by this version of the sync engine.
 */
@ControllerConfiguration(name = "destination")
public class DestinationReconciler implements Reconciler<Destination> {
    private final Store store;
    private final Clock clock;

    public DestinationReconciler(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public UpdateControl<Destination> reconcile(
            Destination destination, Context<Destination> context) {
        DestinationStatus status =
                destination.getStatus() == null
                        ? new DestinationStatus()
                        : Serialization.jsonMapper()
                                .convertValue(destination.getStatus(), DestinationStatus.class);
        status.id =
                store.idFor(
                        "Destination",
                        destination.getMetadata().getNamespace(),
                        destination.getMetadata().getName(),
                        destination.getMetadata().getUid());
        status.observedGeneration = destination.getMetadata().getGeneration();
        Long generation = destination.getMetadata().getGeneration();
        var spec = destination.getSpec();
        boolean recheck = false;
        if (spec.type == DestinationType.POSTGRES && spec.connectorRef == null) {
            Conditions.set(
                    status.conditions,
                    Conditions.READY,
                    Conditions.FALSE,
                    "ConnectorRequired",
                    "a postgres destination needs a connectorRef",
                    generation,
                    clock.instant());
        } else if (spec.connectorRef != null
                && context.getClient()
                                .resources(Connector.class)
                                .inNamespace(destination.getMetadata().getNamespace())
                                .withName(spec.connectorRef.name)
                                .get()
                        == null) {
            Conditions.set(
                    status.conditions,
                    Conditions.READY,
                    Conditions.FALSE,
                    "ConnectorNotFound",
                    "connector " + spec.connectorRef.name + " does not exist",
                    generation,
                    clock.instant());
            recheck = true;
        } else {
            Conditions.set(
                    status.conditions,
                    Conditions.READY,
                    Conditions.TRUE,
                    "Accepted",
                    switch (spec.type) {
                        case DUCKDB -> "writes " + spec.duckdbPath();
                        case PARQUET -> "writes Parquet files under " + spec.path;
                        case POSTGRES -> "writes through connector " + spec.connectorRef.name;
                    },
                    generation,
                    clock.instant());
        }
        new StatusWriter(context.getClient()).write(destination, status);
        return recheck
                ? UpdateControl.<Destination>noUpdate().rescheduleAfter(Duration.ofSeconds(30))
                : UpdateControl.noUpdate();
    }
}
