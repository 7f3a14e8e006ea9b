package dev.millrace.operator.anomalyrule;

import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.anomalyrule.AnomalyRuleStatus;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.operator.alert.Alerts;
import dev.millrace.operator.kube.EventRecorder;
import dev.millrace.operator.kube.StatusUpdates;
import dev.millrace.operator.metrics.OperatorMetrics;
import dev.millrace.store.Store;
import dev.millrace.store.anomaly.Evaluation;
import dev.millrace.store.execution.Metric;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Evaluates every active AnomalyRule of a pipeline for one ended execution: the store judges and
 * records, each rule's status gets the evaluation and its anomaly count, and an anomaly is
 * announced with an Event on the Pipeline and on the rule.
 */
public final class AnomalyEvaluator {
    private final Store store;
    private final OperatorMetrics metrics;

    /**
     * @param metrics where flagged executions are counted
     */
    public AnomalyEvaluator(Store store, OperatorMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /** The evaluations of the pipeline's active rules; anomalous ones are recorded. */
    public List<Evaluation> evaluate(
            Pipeline pipeline,
            long pipelineId,
            long executionId,
            KubernetesClient client,
            EventRecorder events,
            Instant now) {
        String ns = pipeline.getMetadata().getNamespace();
        List<Evaluation> evaluations = new ArrayList<>();
        for (AnomalyRule rule :
                client.resources(AnomalyRule.class).inNamespace(ns).list().getItems()) {
            if (rule.getSpec() == null
                    || rule.getSpec().pipelineRef == null
                    || !pipeline.getMetadata().getName().equals(rule.getSpec().pipelineRef.name)
                    || Boolean.FALSE.equals(rule.getSpec().active)) {
                continue;
            }
            long ruleId = AnomalyRuleReconciler.idOf(store, rule);
            Evaluation evaluation =
                    store.anomalies().evaluate(storeRule(rule, ruleId, pipelineId), executionId);
            if (evaluation.anomalous()) {
                store.anomalies().record(evaluation, now);
                String message =
                        "execution "
                                + executionId
                                + ": "
                                + evaluation.metric().wireName()
                                + " = "
                                + format(evaluation.value())
                                + " is outside "
                                + format(evaluation.lowerBound())
                                + " … "
                                + format(evaluation.upperBound())
                                + " (z = "
                                + String.format(Locale.ROOT, "%.2f", evaluation.zScore())
                                + ", baseline of "
                                + evaluation.baselineSize()
                                + " executions)";
                events.warning(pipeline, "AnomalyDetected", message);
                events.warning(rule, "AnomalyDetected", message);
                metrics.anomalyFlagged();
                Alerts.enqueue(
                        store,
                        Alerts.anomaly(pipeline, pipelineId, rule, evaluation, message, now),
                        now);
            }
            long count = store.anomalies().countForRule(ruleId);
            StatusUpdates.update(
                    client,
                    AnomalyRule.class,
                    ns,
                    rule.getMetadata().getName(),
                    current -> {
                        AnomalyRuleStatus status = AnomalyRuleReconciler.copy(current.getStatus());
                        status.id = ruleId;
                        status.lastEvaluation = lastEvaluation(evaluation, now);
                        status.anomalyCount = count;
                        return status;
                    });
            evaluations.add(evaluation);
        }
        return evaluations;
    }

    static dev.millrace.store.anomaly.AnomalyRule storeRule(
            AnomalyRule rule, long ruleId, long pipelineId) {
        var spec = rule.getSpec();
        return new dev.millrace.store.anomaly.AnomalyRule(
                ruleId,
                pipelineId,
                Metric.valueOf(spec.metricField.name()),
                spec.zThreshold == null ? 3.0 : spec.zThreshold,
                spec.lookbackDays == null ? 30 : spec.lookbackDays,
                spec.minimumExecutions == null ? 30 : spec.minimumExecutions);
    }

    private static AnomalyRuleStatus.Evaluation lastEvaluation(Evaluation e, Instant now) {
        AnomalyRuleStatus.Evaluation summary = new AnomalyRuleStatus.Evaluation();
        summary.executionId = e.executionId();
        summary.value = e.value();
        summary.mean = e.mean();
        summary.stddev = e.stddev();
        summary.z = e.zScore();
        summary.anomalous = e.judged() ? e.anomalous() : null;
        summary.baselineSize = e.baselineSize();
        summary.evaluatedAt = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return summary;
    }

    private static String format(Double value) {
        return value == null ? "none" : String.format(Locale.ROOT, "%.2f", value);
    }
}
