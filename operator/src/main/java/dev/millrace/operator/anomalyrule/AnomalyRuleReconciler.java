package dev.millrace.operator.anomalyrule;

import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.anomalyrule.AnomalyRuleStatus;
import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.operator.OperatorSettings;
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
 * Gives an AnomalyRule its id, checks that its Pipeline exists, and keeps {@code
 * status.anomalyCount} current with the store (anomalies can be unflagged through the API at any
 * time, so the count is re-read every check interval). Evaluation itself happens when an execution
 * ends (see {@link AnomalyEvaluator}).
 */
@ControllerConfiguration(name = "anomalyrule")
public class AnomalyRuleReconciler implements Reconciler<AnomalyRule> {
    static final String KIND = "AnomalyRule";

    private final Store store;
    private final OperatorSettings settings;
    private final Clock clock;

    public AnomalyRuleReconciler(Store store, OperatorSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    static long idOf(Store store, AnomalyRule rule) {
        return store.idFor(
                KIND,
                rule.getMetadata().getNamespace(),
                rule.getMetadata().getName(),
                rule.getMetadata().getUid());
    }

    @Override
    public UpdateControl<AnomalyRule> reconcile(AnomalyRule rule, Context<AnomalyRule> context) {
        AnomalyRuleStatus status = copy(rule.getStatus());
        long id = idOf(store, rule);
        status.id = id;
        status.observedGeneration = rule.getMetadata().getGeneration();
        status.anomalyCount = store.anomalies().countForRule(id);
        String pipelineName = rule.getSpec().pipelineRef.name;
        boolean pipelineExists =
                context.getClient()
                                .resources(Pipeline.class)
                                .inNamespace(rule.getMetadata().getNamespace())
                                .withName(pipelineName)
                                .get()
                        != null;
        Conditions.set(
                status.conditions,
                Conditions.READY,
                pipelineExists ? Conditions.TRUE : Conditions.FALSE,
                pipelineExists ? "Accepted" : "PipelineNotFound",
                pipelineExists
                        ? "evaluates "
                                + rule.getSpec()
                                        .metricField
                                        .name()
                                        .toLowerCase(java.util.Locale.ROOT)
                                + " of pipeline "
                                + pipelineName
                        : "pipeline " + pipelineName + " does not exist",
                rule.getMetadata().getGeneration(),
                clock.instant());
        new StatusWriter(context.getClient()).write(rule, status);
        Duration wait = pipelineExists ? settings.checkInterval() : Duration.ofSeconds(30);
        return UpdateControl.<AnomalyRule>noUpdate().rescheduleAfter(wait);
    }

    static AnomalyRuleStatus copy(AnomalyRuleStatus status) {
        return status == null
                ? new AnomalyRuleStatus()
                : Serialization.jsonMapper().convertValue(status, AnomalyRuleStatus.class);
    }
}
