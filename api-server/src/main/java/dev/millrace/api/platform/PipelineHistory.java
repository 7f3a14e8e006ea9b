package dev.millrace.api.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.kube.ResourceCache;
import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.anomalyrule.AnomalyRuleStatus;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.crds.pipeline.PipelineStatus;
import dev.millrace.store.Store;
import dev.millrace.store.anomaly.AnomalyResult;
import dev.millrace.store.execution.Execution;
import dev.millrace.store.execution.Metric;
import io.fabric8.kubernetes.api.model.Condition;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pipelines as the web UI shows them: freshness and timeliness state, anomaly rules, and execution
 * history with the anomalies recorded for it. Pipelines and rules are read from the resources;
 * executions and anomalies from the store, where they live as history.
 *
 * <p>{@code GET /api/pipelines}, {@code GET /api/pipelines/{name}/executions?limit=} and {@code
 * POST /api/pipelines/{name}/executions/{id}/unflag}: an anomaly a person judges to be normal is
 * taken back, so its value counts in later baselines again.
 */
final class PipelineHistory {
    static final String PIPELINE_KIND = "Pipeline";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    private static final List<String> CONDITIONS = List.of("Fresh", "Timely", "AnomalyFree");

    private final ResourceCache resources;
    private final Store store;
    private final String namespace;
    private final ObjectMapper json = new ObjectMapper();

    PipelineHistory(ResourceCache resources, Store store, String namespace) {
        this.resources = resources;
        this.store = store;
        this.namespace = namespace;
    }

    void list(Context ctx) {
        List<AnomalyRule> rules = resources.list(AnomalyRule.class, namespace);
        ctx.json(
                resources.list(Pipeline.class, namespace).stream()
                        .map(p -> view(p, rules))
                        .toList());
    }

    void executions(Context ctx) {
        Pipeline pipeline = find(ctx.pathParam("pipeline_name"));
        int limit = PlatformApi.limitWithin(ctx.queryParam("limit"), DEFAULT_LIMIT, MAX_LIMIT);
        Long id = idOf(pipeline);
        List<Map<String, Object>> body = new ArrayList<>();
        if (id != null) {
            for (Execution e : store.executions().ofPipeline(id, limit, 0)) {
                body.add(executionView(e));
            }
        }
        ctx.json(body);
    }

    void unflag(Context ctx) {
        Pipeline pipeline = find(ctx.pathParam("pipeline_name"));
        Long pipelineId = idOf(pipeline);
        long executionId;
        try {
            executionId = Long.parseLong(ctx.pathParam("execution_id"));
        } catch (NumberFormatException e) {
            throw PlatformApiException.badRequest("execution_id must be an integer");
        }
        Execution execution =
                store.executions()
                        .find(executionId)
                        .filter(e -> pipelineId != null && e.pipelineId() == pipelineId)
                        .orElseThrow(
                                () ->
                                        PlatformApiException.notFound(
                                                "Execution "
                                                        + executionId
                                                        + " of pipeline "
                                                        + pipeline.getMetadata().getName()
                                                        + " not found"));
        Set<Metric> metrics = metrics(ctx.body(), execution);
        boolean changed = store.anomalies().unflag(executionId, metrics);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("unflagged", changed);
        body.put("execution", executionView(store.executions().find(executionId).orElseThrow()));
        ctx.json(body);
    }

    /** The metrics named in {@code {"metrics": [...]}}, or every flagged one without a body. */
    private Set<Metric> metrics(String body, Execution execution) {
        if (body == null || body.isBlank()) {
            return execution.anomalyFlags().isEmpty()
                    ? EnumSet.allOf(Metric.class)
                    : execution.anomalyFlags();
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (Exception e) {
            throw PlatformApiException.badRequest("Request body is not valid JSON");
        }
        JsonNode names = node == null ? null : node.get("metrics");
        if (names == null || names.isNull()) {
            return metrics(null, execution);
        }
        if (!names.isArray() || names.isEmpty()) {
            throw PlatformApiException.badRequest(
                    "metrics must be a non-empty array of metric names");
        }
        Set<Metric> metrics = EnumSet.noneOf(Metric.class);
        for (JsonNode name : names) {
            try {
                metrics.add(Metric.fromWireName(name.asText()));
            } catch (IllegalArgumentException e) {
                throw PlatformApiException.badRequest("Unknown metric '" + name.asText() + "'");
            }
        }
        return metrics;
    }

    private Pipeline find(String name) {
        return (Sources.isObjectName(name)
                        ? resources.getOrFetch(Pipeline.class, namespace, name)
                        : java.util.Optional.<Pipeline>empty())
                .orElseThrow(
                        () -> PlatformApiException.notFound("Pipeline '" + name + "' not found"));
    }

    private Long idOf(Pipeline pipeline) {
        if (pipeline.getStatus() != null && pipeline.getStatus().id != null) {
            return pipeline.getStatus().id;
        }
        return store.findId(PIPELINE_KIND, pipeline.getMetadata().getUid()).orElse(null);
    }

    private Map<String, Object> view(Pipeline pipeline, List<AnomalyRule> rules) {
        String name = pipeline.getMetadata().getName();
        PipelineStatus status = pipeline.getStatus();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", name);
        view.put(
                "display_name",
                pipeline.getSpec().displayName == null ? name : pipeline.getSpec().displayName);
        view.put("id", idOf(pipeline));
        view.put("active", !Boolean.FALSE.equals(pipeline.getSpec().active));
        view.put(
                "connection",
                pipeline.getSpec().connectionRef == null
                        ? null
                        : pipeline.getSpec().connectionRef.name);
        view.put("watermark", status == null ? null : status.watermark);
        view.put("last_target_insert", status == null ? null : status.lastTargetInsert);
        view.put("last_target_update", status == null ? null : status.lastTargetUpdate);
        Map<String, Object> conditions = new LinkedHashMap<>();
        for (String type : CONDITIONS) {
            Condition condition =
                    status == null
                            ? null
                            : status.conditions.stream()
                                    .filter(c -> type.equals(c.getType()))
                                    .findFirst()
                                    .orElse(null);
            conditions.put(type, condition == null ? null : conditionView(condition));
        }
        view.put("conditions", conditions);
        if (status != null && status.lastExecution != null) {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("id", status.lastExecution.id);
            last.put("status", status.lastExecution.status);
            last.put("start", status.lastExecution.start);
            last.put("end", status.lastExecution.end);
            last.put("total_rows", status.lastExecution.totalRows);
            view.put("last_execution", last);
        } else {
            view.put("last_execution", null);
        }
        view.put(
                "anomaly_rules",
                rules.stream()
                        .filter(
                                r ->
                                        r.getSpec() != null
                                                && r.getSpec().pipelineRef != null
                                                && name.equals(r.getSpec().pipelineRef.name))
                        .map(this::ruleView)
                        .toList());
        return view;
    }

    private static Map<String, Object> conditionView(Condition c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("status", c.getStatus());
        view.put("reason", c.getReason());
        view.put("message", c.getMessage());
        view.put("last_transition_time", c.getLastTransitionTime());
        return view;
    }

    private Map<String, Object> ruleView(AnomalyRule rule) {
        AnomalyRuleStatus status = rule.getStatus();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", rule.getMetadata().getName());
        view.put("id", status == null ? null : status.id);
        view.put(
                "metric",
                rule.getSpec().metricField == null
                        ? null
                        : json.valueToTree(rule.getSpec().metricField).asText());
        view.put("z_threshold", rule.getSpec().zThreshold);
        view.put("lookback_days", rule.getSpec().lookbackDays);
        view.put("minimum_executions", rule.getSpec().minimumExecutions);
        view.put("active", !Boolean.FALSE.equals(rule.getSpec().active));
        view.put("anomaly_count", status == null ? null : status.anomalyCount);
        if (status != null && status.lastEvaluation != null) {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("execution_id", status.lastEvaluation.executionId);
            last.put("value", status.lastEvaluation.value);
            last.put("mean", status.lastEvaluation.mean);
            last.put("stddev", status.lastEvaluation.stddev);
            last.put("z", status.lastEvaluation.z);
            last.put("anomalous", status.lastEvaluation.anomalous);
            last.put("evaluated_at", status.lastEvaluation.evaluatedAt);
            view.put("last_evaluation", last);
        } else {
            view.put("last_evaluation", null);
        }
        return view;
    }

    private Map<String, Object> executionView(Execution e) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", e.id());
        view.put("status", e.status().wireName());
        view.put("start", e.start() == null ? null : e.start().toString());
        view.put("end", e.end() == null ? null : e.end().toString());
        view.put("total_rows", e.totalRows());
        view.put("inserts", e.inserts());
        view.put("updates", e.updates());
        view.put("soft_deletes", e.softDeletes());
        view.put("duration_seconds", e.durationSeconds());
        view.put("throughput", e.throughput());
        view.put("job_id", e.jobId());
        view.put(
                "anomaly_flags", e.anomalyFlags().stream().map(Metric::wireName).sorted().toList());
        List<Map<String, Object>> anomalies = new ArrayList<>();
        if (!e.anomalyFlags().isEmpty()) {
            for (AnomalyResult r : store.anomalies().resultsOf(e.id())) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("rule_id", r.ruleId());
                a.put("metric", r.metric().wireName());
                a.put("value", r.value());
                a.put("z_score", r.zScore());
                a.put("mean", r.mean());
                a.put("stddev", r.stddev());
                a.put("lower_bound", r.lowerBound());
                a.put("upper_bound", r.upperBound());
                a.put("detected_at", r.detectedAt().toString());
                anomalies.add(a);
            }
        }
        view.put("anomalies", anomalies);
        return view;
    }
}
