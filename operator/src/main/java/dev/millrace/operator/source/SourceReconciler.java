package dev.millrace.operator.source;

import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceStatus;
import dev.millrace.operator.connector.ConnectorReferences;
import dev.millrace.operator.kube.StatusWriter;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * A Source's status is rolled up from the Connections that read it: syncing while one of their Jobs
 * runs, failed when the latest finished Job failed, otherwise synced or empty with the row counts
 * of the tables it lands in.
 */
@ControllerConfiguration(name = "source", generationAwareEventProcessing = false)
public class SourceReconciler implements Reconciler<Source> {
    private final Store store;
    private final Clock clock;

    public SourceReconciler(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, Source>> prepareEventSources(EventSourceContext<Source> context) {
        return List.of(
                new InformerEventSource<>(
                        InformerEventSourceConfiguration.from(Connection.class, Source.class)
                                .withSecondaryToPrimaryMapper(
                                        (Connection c) ->
                                                c.getSpec() == null || c.getSpec().sourceRef == null
                                                        ? Set.of()
                                                        : Set.of(
                                                                new ResourceID(
                                                                        c.getSpec().sourceRef.name,
                                                                        c.getMetadata()
                                                                                .getNamespace())))
                                .build(),
                        context),
                ConnectorReferences.eventSource(
                        Source.class,
                        context,
                        s -> s.getSpec() == null ? null : s.getSpec().connectorRef));
    }

    @Override
    public UpdateControl<Source> reconcile(Source source, Context<Source> context) {
        SourceStatus status =
                source.getStatus() == null
                        ? new SourceStatus()
                        : Serialization.jsonMapper()
                                .convertValue(source.getStatus(), SourceStatus.class);
        status.id =
                store.idFor(
                        "Source",
                        source.getMetadata().getNamespace(),
                        source.getMetadata().getName(),
                        source.getMetadata().getUid());
        status.observedGeneration = source.getMetadata().getGeneration();
        SourceRollup.of(context.getSecondaryResources(Connection.class)).applyTo(status);
        var missingConnector =
                ConnectorReferences.missing(source, context, source.getSpec().connectorRef);
        Conditions.set(
                status.conditions,
                Conditions.READY,
                missingConnector.isPresent() ? Conditions.FALSE : Conditions.TRUE,
                missingConnector.isPresent() ? "ConnectorNotFound" : "Accepted",
                missingConnector.orElse(
                        source.getSpec().isEnabled()
                                ? "source accepted"
                                : "source accepted (disabled: schedules do not run)"),
                source.getMetadata().getGeneration(),
                clock.instant());
        new StatusWriter(context.getClient()).write(source, status);
        return UpdateControl.noUpdate();
    }
}
