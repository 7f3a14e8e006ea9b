package dev.millrace.operator.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.store.Store;
import dev.millrace.store.alert.Alert;
import dev.millrace.store.alert.AlertEvent;
import dev.millrace.store.anomaly.Evaluation;
import dev.millrace.store.check.FreshnessBreach;
import dev.millrace.store.check.LateExecution;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the reconcilers find into alerts and enqueues them. Occurrence keys reuse what each
 * finding is already deduplicated by (the job id, the pipeline's stale DML time, the late
 * execution, the rule and execution), so a reconcile that runs again enqueues nothing new.
 * Enqueueing is one store insert: delivery belongs to {@link AlertSender}.
 */
public final class Alerts {
    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Alerts() {}

    /**
     * Enqueues the alert; a store failure is logged and swallowed, because an alert must never fail
     * the reconcile that found it.
     */
    public static void enqueue(Store store, Alert alert, Instant now) {
        try {
            if (store.alerts().enqueue(alert, now)) {
                LOG.debug("Alert {} enqueued", alert.occurrenceKey());
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not enqueue alert {}: {}", alert.occurrenceKey(), e.toString());
        }
    }

    /** A sync job that ended failed (not cancelled): once per job, whatever its attempts. */
    public static Alert syncFailed(
            Connection connection, long jobId, String jobName, String error, Instant ended) {
        String ns = connection.getMetadata().getNamespace();
        String name = connection.getMetadata().getName();
        ObjectNode details = JSON.createObjectNode();
        details.put("jobId", jobId);
        details.put("jobName", jobName);
        details.put("source", connection.getSpec().sourceRef.name);
        details.put("destination", connection.getSpec().destinationRef.name);
        details.put("error", error);
        return new Alert(
                "sync_failed:" + ns + "/" + name + ":" + jobId,
                AlertEvent.SYNC_FAILED,
                ns,
                connection.getKind(),
                name,
                "Sync job " + jobId + " of " + name + " failed: " + error,
                ended,
                details.toString());
    }

    /** A pipeline stale since its newest DML time: once per (pipeline, DML time). */
    public static Alert freshnessBreach(
            Pipeline pipeline, long pipelineId, FreshnessBreach breach, String message) {
        ObjectNode details = JSON.createObjectNode();
        details.put("pipelineId", pipelineId);
        details.put("lastDml", iso(breach.lastDml()));
        details.put("deadline", iso(breach.deadline()));
        details.put("threshold", breach.threshold().toString());
        return pipelineAlert(
                "freshness:" + pipelineId + ":" + iso(breach.lastDml()),
                AlertEvent.FRESHNESS_BREACH,
                pipeline,
                "Pipeline " + pipeline.getMetadata().getName() + " is stale: " + message,
                breach.deadline(),
                details);
    }

    /** An execution that ran past its timeliness threshold: once per execution. */
    public static Alert timelinessBreach(
            Pipeline pipeline, long pipelineId, LateExecution late, String message) {
        ObjectNode details = JSON.createObjectNode();
        details.put("pipelineId", pipelineId);
        details.put("executionId", late.executionId());
        details.put("status", late.status().wireName());
        details.put("start", iso(late.start()));
        if (late.end() != null) {
            details.put("end", iso(late.end()));
        }
        details.put("deadline", iso(late.deadline()));
        details.put("runningSeconds", late.runningSeconds());
        details.put("threshold", late.threshold().toString());
        return pipelineAlert(
                "timeliness:" + late.executionId(),
                AlertEvent.TIMELINESS_BREACH,
                pipeline,
                "Pipeline " + pipeline.getMetadata().getName() + ": " + message,
                late.deadline(),
                details);
    }

    /** An execution a rule flagged: once per (rule, execution). */
    public static Alert anomaly(
            Pipeline pipeline,
            long pipelineId,
            AnomalyRule rule,
            Evaluation evaluation,
            String message,
            Instant now) {
        ObjectNode details = JSON.createObjectNode();
        details.put("pipelineId", pipelineId);
        details.put("rule", rule.getMetadata().getName());
        details.put("ruleId", evaluation.rule().ruleId());
        details.put("executionId", evaluation.executionId());
        details.put("metric", evaluation.metric().wireName());
        details.put("value", evaluation.value());
        details.put("mean", evaluation.mean());
        details.put("stddev", evaluation.stddev());
        details.put("zScore", evaluation.zScore());
        details.put("lowerBound", evaluation.lowerBound());
        details.put("upperBound", evaluation.upperBound());
        details.put("baselineSize", evaluation.baselineSize());
        return pipelineAlert(
                "anomaly:" + evaluation.rule().ruleId() + ":" + evaluation.executionId(),
                AlertEvent.ANOMALY,
                pipeline,
                "Pipeline "
                        + pipeline.getMetadata().getName()
                        + ", rule "
                        + rule.getMetadata().getName()
                        + ": "
                        + message,
                now,
                details);
    }

    private static Alert pipelineAlert(
            String key,
            AlertEvent event,
            Pipeline pipeline,
            String message,
            Instant occurredAt,
            ObjectNode details) {
        return new Alert(
                key,
                event,
                pipeline.getMetadata().getNamespace(),
                pipeline.getKind(),
                pipeline.getMetadata().getName(),
                message,
                occurredAt,
                details.toString());
    }

    private static String iso(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).toString();
    }
}
