package dev.millrace.operator;

import dev.millrace.operator.alert.AlertSender;
import dev.millrace.operator.alert.AlertSettings;
import dev.millrace.operator.anomalyrule.AnomalyRuleReconciler;
import dev.millrace.operator.connection.ConnectionReconciler;
import dev.millrace.operator.connector.ConnectorReconciler;
import dev.millrace.operator.destination.DestinationReconciler;
import dev.millrace.operator.health.OperationsEndpoint;
import dev.millrace.operator.job.ProgressEndpoint;
import dev.millrace.operator.leader.LeaderElection;
import dev.millrace.operator.metrics.OperatorMetrics;
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
    private final OperatorMetrics metrics;
    private final LeaderElection.State leadership;
    private final OperationsSettings operations;
    private final AlertSender alerts;
    private OperationsEndpoint endpoint;

    /** The only replica, without metrics or health endpoints (local mode). */
    public MillraceOperator(
            KubernetesClient client, Store store, OperatorSettings settings, Clock clock) {
        this(client, store, settings, clock, OperationsSettings.none());
    }

    public MillraceOperator(
            KubernetesClient client,
            Store store,
            OperatorSettings settings,
            Clock clock,
            OperationsSettings operations) {
        this(client, store, settings, clock, operations, AlertSettings.defaults());
    }

    /**
     * @param alerts how the alert sender delivers (it sends only while this replica leads)
     */
    public MillraceOperator(
            KubernetesClient client,
            Store store,
            OperatorSettings settings,
            Clock clock,
            OperationsSettings operations,
            AlertSettings alerts) {
        this.operations = operations;
        this.metrics = new OperatorMetrics(store);
        this.leadership = operations.leaderElection() == null ? null : new LeaderElection.State();
        metrics.leadership(this::leading);
        this.alerts = new AlertSender(client, store, alerts, clock, metrics, this::leading);
        this.operator =
                new Operator(
                        o -> {
                            o.withKubernetesClient(client)
                                    .withCloseClientOnStop(false)
                                    .withUseSSAToPatchPrimaryResource(false)
                                    .withSSABasedCreateUpdateMatchForDependentResources(false)
                                    .withStopOnInformerErrorDuringStartup(true)
                                    .withMetrics(metrics.josdk());
                            if (leadership != null) {
                                o.withLeaderElectionConfiguration(
                                        operations.leaderElection().toJosdk(leadership));
                            }
                        });
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
                new ConnectionReconciler(store, settings, clock, progress, metrics),
                c -> scope.accept(c));
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
        if (operations.listen() != null) {
            try {
                endpoint =
                        OperationsEndpoint.start(
                                operations.listen(), metrics, operator::getRuntimeInfo, leadership);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(
                        "could not bind the metrics and health endpoint at " + operations.listen(),
                        e);
            }
        }
        operator.start();
        alerts.start();
    }

    /** host:port of the metrics and health endpoint once started, or null without one. */
    public String operationsAddress() {
        return endpoint == null ? null : endpoint.address();
    }

    /** Whether this replica reconciles: always without leader election. */
    public boolean leading() {
        return leadership == null || leadership.leading();
    }

    @Override
    public void close() {
        alerts.close();
        operator.stop();
        if (endpoint != null) {
            endpoint.close();
        }
        if (progress != null) {
            progress.close();
        }
    }
}
