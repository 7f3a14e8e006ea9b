package dev.millrace.operator.destination;

import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.destination.DestinationStatus;
import dev.millrace.crds.destination.DestinationType;
import dev.millrace.operator.connector.ConnectorReferences;
import dev.millrace.operator.kube.StatusWriter;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.List;

/**
 * Checks what a Destination needs besides its schema: the Connector it names must exist (watched,
 * so deleting it shows here at once), and only duckdb destinations can be written by this version
 * of the sync engine.
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
    public List<EventSource<?, Destination>> prepareEventSources(
            EventSourceContext<Destination> context) {
        return List.of(
                ConnectorReferences.eventSource(
                        Destination.class,
                        context,
                        d -> d.getSpec() == null ? null : d.getSpec().connectorRef));
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
        var missingConnector = ConnectorReferences.missing(destination, context, spec.connectorRef);
        if (missingConnector.isPresent()) {
            Conditions.set(
                    status.conditions,
                    Conditions.READY,
                    Conditions.FALSE,
                    "ConnectorNotFound",
                    missingConnector.get(),
                    generation,
                    clock.instant());
        } else if (spec.type == DestinationType.POSTGRES && spec.connectorRef == null) {
            Conditions.set(
                    status.conditions,
                    Conditions.READY,
                    Conditions.FALSE,
                    "ConnectorRequired",
                    "a postgres destination needs a connectorRef",
                    generation,
                    clock.instant());
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
        return UpdateControl.noUpdate();
    }
}
