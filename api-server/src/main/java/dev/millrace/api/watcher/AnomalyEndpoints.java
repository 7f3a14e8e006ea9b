package dev.millrace.api.watcher;

import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.anomalyrule.AnomalyRuleSpec;
import dev.millrace.crds.anomalyrule.AnomalyRuleStatus;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.store.execution.Execution;
import dev.millrace.store.execution.Metric;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javalin.http.Context;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * /anomaly_detection_rule (upsert by pipeline and metric, list, get, patch) and /unflag_anomaly. A
 * rule is an AnomalyRule of the API's namespace naming its Pipeline; the operator evaluates it
 * after every sync, and this family after every execution ended through it.
 */
final class AnomalyEndpoints {
    private final WatcherObjects objects;
    private final Object writes;

    AnomalyEndpoints(WatcherObjects objects, Object writes) {
        this.objects = objects;
        this.writes = writes;
    }

    void upsert(Context ctx) {
        WatcherRequest request = WatcherRequest.parse(ctx.body());
        long pipelineId = request.requiredId("pipeline_id");
        Metric metric = WatcherRequest.required("metric_field", metric(request));
        Double z = request.number("z_threshold", 1, 10);
        Long lookback = request.integer("lookback_days", 1, 365);
        Long minimum = request.integer("minimum_executions", 5, 1000);
        Boolean active = request.bool("active");
        synchronized (writes) {
            Pipeline pipeline = pipeline(pipelineId);
            String pipelineName = pipeline.getMetadata().getName();
            AnomalyRule existing =
                    objects.rules()
                            .byKey()
                            .get(WatcherObjects.ruleKey(pipelineName, metric.wireName()));
            if (existing != null) {
                ctx.status(200).json(WatcherViews.id(ruleId(existing)));
                return;
            }
            AnomalyRule rule = new AnomalyRule();
            rule.setMetadata(new ObjectMeta());
            AnomalyRuleSpec spec = new AnomalyRuleSpec();
            spec.pipelineRef = ObjectRef.to(pipelineName);
            spec.metricField = AnomalyRuleSpec.Metric.valueOf(metric.name());
            spec.zThreshold = z != null ? z : 3.0;
            spec.lookbackDays = lookback != null ? lookback.intValue() : 30;
            spec.minimumExecutions = minimum != null ? minimum.intValue() : 30;
            spec.active = active == null || active;
            rule.setSpec(spec);
            AnomalyRule created =
                    objects.create(
                            rule,
                            WatcherObjects.slug(
                                    pipelineName + "-" + metric.wireName(), "anomaly-rule"),
                            WatcherObjects.ANOMALY_RULE,
                            AnomalyRuleStatus::new);
            ctx.status(201).json(WatcherViews.id(ruleId(created)));
        }
    }

    void list(Context ctx) {
        WatcherObjects.Index<AnomalyRule> rules = objects.rules();
        Map<String, Long> pipelineIds = objects.pipelines().idByName();
        ctx.json(
                rules.byId().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> view(e.getValue(), e.getKey(), pipelineIds))
                        .toList());
    }

    void get(Context ctx) {
        long id =
                WatcherRequest.pathId(
                        "anomaly_detection_rule_id", ctx.pathParam("anomaly_detection_rule_id"));
        ctx.json(view(find(id), id, objects.pipelines().idByName()));
    }

    void patch(Context ctx) {
        WatcherRequest request = WatcherRequest.parse(ctx.body());
        long id = request.requiredId("id");
        Long pipelineId = request.id("pipeline_id");
        Metric metric = metric(request);
        Double z = request.number("z_threshold", 1, 10);
        Long lookback = request.integer("lookback_days", 1, 365);
        Long minimum = request.integer("minimum_executions", 5, 1000);
        Boolean active = request.bool("active");
        synchronized (writes) {
            AnomalyRule current = find(id);
            String pipelineName =
                    pipelineId != null
                            ? pipeline(pipelineId).getMetadata().getName()
                            : current.getSpec().pipelineRef.name;
            String metricName = metric != null ? metric.wireName() : WatcherViews.metric(current);
            AnomalyRule other =
                    objects.rules().byKey().get(WatcherObjects.ruleKey(pipelineName, metricName));
            if (other != null
                    && !other.getMetadata().getUid().equals(current.getMetadata().getUid())) {
                throw WatcherApiException.badRequest(
                        "A rule for "
                                + metricName
                                + " of that pipeline exists (id "
                                + ruleId(other)
                                + ")");
            }
            AnomalyRule updated =
                    objects.updateSpec(
                            current,
                            r -> {
                                AnomalyRuleSpec spec = r.getSpec();
                                spec.pipelineRef = ObjectRef.to(pipelineName);
                                if (metric != null) {
                                    spec.metricField =
                                            AnomalyRuleSpec.Metric.valueOf(metric.name());
                                }
                                if (z != null) {
                                    spec.zThreshold = z;
                                }
                                if (lookback != null) {
                                    spec.lookbackDays = lookback.intValue();
                                }
                                if (minimum != null) {
                                    spec.minimumExecutions = minimum.intValue();
                                }
                                if (active != null) {
                                    spec.active = active;
                                }
                            });
            ctx.json(view(updated, id, objects.pipelines().idByName()));
        }
    }

    /**
     * Takes back the anomalies of one execution for the metrics named: 204 when something was
     * unflagged, 404 when nothing was flagged.
     */
    void unflag(Context ctx) {
        WatcherRequest request = WatcherRequest.parse(ctx.body());
        long pipelineId = request.requiredId("pipeline_id");
        long executionId = request.requiredId("pipeline_execution_id");
        List<String> names = WatcherRequest.required("metric_field", request.names("metric_field"));
        if (names.isEmpty()) {
            throw WatcherApiException.invalid("metric_field", "must name at least one metric");
        }
        Set<Metric> metrics = EnumSet.noneOf(Metric.class);
        for (String name : names) {
            metrics.add(metricNamed("metric_field", name));
        }
        pipeline(pipelineId);
        Execution execution =
                objects.store()
                        .executions()
                        .find(executionId)
                        .filter(e -> e.pipelineId() == pipelineId)
                        .orElseThrow(
                                () -> WatcherApiException.notFound("Pipeline execution not found"));
        if (!objects.store().anomalies().unflag(execution.id(), metrics)) {
            throw WatcherApiException.notFound("No anomalies to unflag");
        }
        ctx.status(204);
    }

    private Map<String, Object> view(AnomalyRule rule, long id, Map<String, Long> pipelineIds) {
        String pipelineName =
                rule.getSpec().pipelineRef == null ? null : rule.getSpec().pipelineRef.name;
        return WatcherViews.rule(
                rule, id, pipelineName == null ? null : pipelineIds.get(pipelineName));
    }

    private AnomalyRule find(long id) {
        return objects.rule(id)
                .orElseThrow(
                        () -> WatcherApiException.notFound("Anomaly detection rule not found"));
    }

    private Pipeline pipeline(long id) {
        return objects.pipeline(id)
                .orElseThrow(() -> WatcherApiException.notFound("Pipeline not found"));
    }

    private long ruleId(AnomalyRule rule) {
        return objects.idOf(rule, WatcherObjects.ANOMALY_RULE);
    }

    private static Metric metric(WatcherRequest request) {
        String name = request.name("metric_field");
        return name == null ? null : metricNamed("metric_field", name);
    }

    private static Metric metricNamed(String field, String name) {
        try {
            return Metric.fromWireName(name.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw WatcherApiException.invalid(
                    field,
                    "must be one of total_rows, inserts, updates, soft_deletes, duration_seconds,"
                            + " throughput");
        }
    }
}
