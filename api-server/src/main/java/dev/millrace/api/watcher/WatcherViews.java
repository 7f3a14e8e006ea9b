package dev.millrace.api.watcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.common.Threshold;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.crds.pipeline.PipelineStatus;
import dev.millrace.crds.pipelinetype.PipelineType;
import dev.millrace.store.execution.DmlTimes;
import dev.millrace.store.execution.Execution;
import dev.millrace.store.execution.ExecutionStatus;
import dev.millrace.store.execution.Metric;
import dev.millrace.store.lineage.Address;
import dev.millrace.store.lineage.AddressType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The reference's response bodies, field for field, built from resources and store rows. */
final class WatcherViews {
    private WatcherViews() {}

    static Map<String, Object> pipeline(Pipeline p, long id, Long typeId, DmlTimes dml) {
        var spec = p.getSpec();
        PipelineStatus status = p.getStatus();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("name", spec.displayName);
        view.put("pipeline_type_id", typeId);
        view.put("watermark", status == null ? null : status.watermark);
        view.put("next_watermark", status == null ? null : status.nextWatermark);
        view.put("pipeline_metadata", spec.metadata);
        if (dml != null) {
            view.put("last_target_insert", iso(dml.lastTargetInsert()));
            view.put("last_target_update", iso(dml.lastTargetUpdate()));
            view.put("last_target_soft_delete", iso(dml.lastTargetSoftDelete()));
        } else {
            view.put("last_target_insert", status == null ? null : status.lastTargetInsert);
            view.put("last_target_update", status == null ? null : status.lastTargetUpdate);
            view.put(
                    "last_target_soft_delete", status == null ? null : status.lastTargetSoftDelete);
        }
        thresholds(view, spec.freshness, spec.timeliness);
        view.put("load_lineage", Boolean.TRUE.equals(spec.loadLineage));
        view.put("active", !Boolean.FALSE.equals(spec.active));
        view.put("created_at", p.getMetadata().getCreationTimestamp());
        view.put("updated_at", modified(p));
        return view;
    }

    static Map<String, Object> pipelineType(PipelineType t, long id) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("name", t.getSpec().displayName);
        thresholds(view, t.getSpec().freshness, t.getSpec().timeliness);
        view.put("created_at", t.getMetadata().getCreationTimestamp());
        view.put("updated_at", modified(t));
        return view;
    }

    private static void thresholds(
            Map<String, Object> view, Threshold freshness, Threshold timeliness) {
        view.put("freshness_number", freshness == null ? null : freshness.number);
        view.put("freshness_datepart", datePart(freshness));
        view.put("mute_freshness_check", freshness != null && Boolean.TRUE.equals(freshness.muted));
        view.put("timeliness_number", timeliness == null ? null : timeliness.number);
        view.put("timeliness_datepart", datePart(timeliness));
        view.put(
                "mute_timeliness_check",
                timeliness != null && Boolean.TRUE.equals(timeliness.muted));
    }

    private static String datePart(Threshold t) {
        return t == null || t.datepart == null ? null : t.datepart.name().toLowerCase(Locale.ROOT);
    }

    static Map<String, Object> rule(AnomalyRule r, long id, Long pipelineId) {
        var spec = r.getSpec();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("pipeline_id", pipelineId);
        view.put("metric_field", metric(r));
        view.put("z_threshold", spec.zThreshold == null ? 3.0 : spec.zThreshold);
        view.put("lookback_days", spec.lookbackDays == null ? 30 : spec.lookbackDays);
        view.put(
                "minimum_executions", spec.minimumExecutions == null ? 30 : spec.minimumExecutions);
        view.put("active", !Boolean.FALSE.equals(spec.active));
        view.put("created_at", r.getMetadata().getCreationTimestamp());
        view.put("updated_at", modified(r));
        return view;
    }

    static String metric(AnomalyRule r) {
        return r.getSpec().metricField == null
                ? null
                : r.getSpec().metricField.name().toLowerCase(Locale.ROOT);
    }

    static Map<String, Object> execution(Execution e) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", e.id());
        view.put("parent_id", e.parentId());
        view.put("pipeline_id", e.pipelineId());
        view.put("start_date", iso(e.start()));
        view.put("end_date", iso(e.end()));
        view.put("duration_seconds", e.durationSeconds());
        view.put(
                "completed_successfully",
                e.status() == ExecutionStatus.RUNNING
                        ? null
                        : e.status() == ExecutionStatus.SUCCEEDED);
        view.put("inserts", e.inserts());
        view.put("updates", e.updates());
        view.put("soft_deletes", e.softDeletes());
        view.put("total_rows", e.totalRows());
        view.put("watermark", e.watermark());
        view.put("next_watermark", e.nextWatermark());
        view.put("execution_metadata", json(e.metadataJson()));
        Map<String, Object> flags = null;
        if (!e.anomalyFlags().isEmpty()) {
            flags = new LinkedHashMap<>();
            for (Metric m : Metric.values()) {
                if (e.anomalyFlags().contains(m)) {
                    flags.put(m.wireName(), true);
                }
            }
        }
        view.put("anomaly_flags", flags);
        view.put(
                "throughput",
                e.throughput() == null
                        ? null
                        : BigDecimal.valueOf(e.throughput())
                                .setScale(2, RoundingMode.HALF_UP)
                                .doubleValue());
        view.put("child_executions", e.children().stream().map(WatcherViews::execution).toList());
        return view;
    }

    static Map<String, Object> addressType(AddressType t) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", t.id());
        view.put("name", t.name());
        view.put("group_name", t.groupName());
        view.put("created_at", iso(t.createdAt()));
        view.put("updated_at", iso(t.updatedAt()));
        return view;
    }

    static Map<String, Object> address(Address a) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", a.id());
        view.put("name", a.name());
        view.put("address_type_id", a.addressTypeId());
        view.put("database_name", a.databaseName());
        view.put("schema_name", a.schemaName());
        view.put("table_name", a.tableName());
        view.put("primary_key", a.primaryKey());
        view.put("address_metadata", json(a.metadataJson()));
        view.put("created_at", iso(a.createdAt()));
        view.put("updated_at", iso(a.updatedAt()));
        return view;
    }

    static Map<String, Object> id(long id) {
        return Map.of("id", id);
    }

    static String modified(io.fabric8.kubernetes.api.model.HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(WatcherObjects.MODIFIED_ANNOTATION);
    }

    static String iso(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).toString();
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return WatcherRequest.JSON.readTree(text);
        } catch (Exception e) {
            return WatcherRequest.JSON.getNodeFactory().textNode(text);
        }
    }
}
