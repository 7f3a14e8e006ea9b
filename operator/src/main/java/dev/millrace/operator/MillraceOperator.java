package dev.millrace.operator;

import dev.millrace.operator.anomalyrule.AnomalyRuleReconciler;
import dev.millrace.operator.connection.ConnectionReconciler;
import dev.millrace.operator.connector.ConnectorReconciler;
import dev.millrace.operator.destination.DestinationReconciler;
import dev.millrace.operator.job.ProgressEndpoint;
import dev.millrace.operator.model.ModelReconciler;
import dev.millrace.operator.pipeline.PipelineReconciler;
import dev.millrace.operator.pipeline.PipelineTypeReconciler;
import dev.millrace.operator.source.SourceReconciler;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The Millrace operator: the reconcilers of every kind on one JOSDK {@link Operator}.
 *
 * <p>Server-side apply is off for status and dependents: the Fabric8 mock server that backs local
 * mode and tests answers SSA with 415/404 (DESIGN §9), and Millrace writes status itself with
 * optimistic locking (see StatusWriter), which works the same on a real cluster.
 */
public final class MillraceOperator implements AutoCloseable {
    private final Operator operator;
    private final ProgressEndpoint progress;

    public MillraceOperator(
            KubernetesClient client, Store store, OperatorSettings settings, Clock clock) {
        this.operator =
                new Operator(
                        o ->
                                o.withKubernetesClient(client)
                                        .withCloseClientOnStop(false)
                                        .withUseSSAToPatchPrimaryResource(false)
                                        .withSSABasedCreateUpdateMatchForDependentResources(false)
                                        .withStopOnInformerErrorDuringStartup(true));
        Consumer<ControllerConfigurationOverrider<?>> scope =
                c -> {
                    if (settings.namespaces().isEmpty()) {
                        c.watchingAllNamespaces();
                    } else {
                        c.settingNamespaces(settings.namespaces());
                    }
                };
        this.progress = startProgressEndpoint(settings, store, clock);
        operator.register(
                new ConnectionReconciler(store, settings, clock, progress), c -> scope.accept(c));
        operator.register(new SourceReconciler(store, clock), c -> scope.accept(c));
        operator.register(new DestinationReconciler(store, clock), c -> scope.accept(c));
        operator.register(new ConnectorReconciler(store, settings, clock), c -> scope.accept(c));
        operator.register(new ModelReconciler(store, settings, clock), c -> scope.accept(c));
        operator.register(new PipelineTypeReconciler(store, clock), c -> scope.accept(c));
        operator.register(new PipelineReconciler(store, settings, clock), c -> scope.accept(c));
        operator.register(new AnomalyRuleReconciler(store, settings, clock), c -> scope.accept(c));
    }

    private static ProgressEndpoint startProgressEndpoint(
            OperatorSettings settings, Store store, Clock clock) {
        if (settings.syncJobs().progressListen() == null) {
            return null;
        }
        try {
            return ProgressEndpoint.start(
                    settings.syncJobs().progressListen(),
                    settings.syncJobs().progressUrl(),
                    store,
                    clock);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(
                    "could not bind the sync progress endpoint at "
                            + settings.syncJobs().progressListen(),
                    e);
        }
    }

    public void start() {
        operator.start();
    }

    @Override
    public void close() {
        operator.stop();
        if (progress != null) {
            progress.close();
        }
    }
}
