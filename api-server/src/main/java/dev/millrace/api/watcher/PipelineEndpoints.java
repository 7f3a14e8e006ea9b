package dev.millrace.api.watcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.kube.ResourceCache;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.common.Threshold;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.crds.pipeline.PipelineSpec;
import dev.millrace.crds.pipeline.PipelineStatus;
import dev.millrace.crds.pipelinetype.PipelineType;
import dev.millrace.crds.pipelinetype.PipelineTypeSpec;
import dev.millrace.crds.pipelinetype.PipelineTypeStatus;
import dev.millrace.store.check.DatePart;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * /pipeline and /pipeline_type: upsert by Watcher name (201 created, 200 found), list, get by id,
 * and patch. A pipeline is a Pipeline of the API's namespace, a type a PipelineType; the watermark
 * and next watermark live in the Pipeline's status, where the operator's execution recorder reads
 * and moves them too.
 */
final class PipelineEndpoints {
    private final WatcherObjects objects;
    private final ResourceCache resources;
    private final ObjectMapper json;
    private final Object writes;
    private final AtomicReference<CachedList> list = new AtomicReference<>();

    PipelineEndpoints(
            WatcherObjects objects, ResourceCache resources, ObjectMapper json, Object writes) {
        this.objects = objects;
        this.resources = resources;
        this.json = json;
        this.writes = writes;
    }

    // ---- pipeline types ----------------------------------------------------------------------

    void upsertType(Context ctx) {
        WatcherRequest request = WatcherRequest.parse(ctx.body());
        String name = request.requiredName("name");
        Threshold freshness = threshold(request, "freshness", null);
        Threshold timeliness = threshold(request, "timeliness", null);
        synchronized (writes) {
            PipelineType existing = objects.types().byKey().get(name);
            if (existing != null) {
                ctx.status(200).json(WatcherViews.id(typeId(existing)));
                return;
            }
            PipelineType created = createType(name, freshness, timeliness);
            ctx.status(201).json(WatcherViews.id(typeId(created)));
        }
    }

    void listTypes(Context ctx) {
        WatcherObjects.Index<PipelineType> index = objects.types();
        ctx.json(
                index.byId().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .map(e -> WatcherViews.pipelineType(e.getValue(), e.getKey()))
                        .toList());
    }

    void getType(Context ctx) {
        long id = WatcherRequest.pathId("pipeline_type_id", ctx.pathParam("pipeline_type_id"));
        PipelineType type =
                objects.type(id)
                        .orElseThrow(() -> WatcherApiException.notFound("Pipeline type not found"));
        ctx.json(WatcherViews.pipelineType(type, id));
    }

    /** The type named {@code name}, created without thresholds if there is none. */
    PipelineType ensureType(String name) {
        PipelineType existing = objects.types().byKey().get(name);
        return existing != null ? existing : createType(name, null, null);
    }

    private PipelineType createType(String name, Threshold freshness, Threshold timeliness) {
        PipelineType type = new PipelineType();
        type.setMetadata(new ObjectMeta());
        type.setSpec(new PipelineTypeSpec());
        type.getSpec().displayName = name;
        type.getSpec().freshness = freshness;
        type.getSpec().timeliness = timeliness;
        return objects.create(
                type,
                WatcherObjects.slug(name, "pipeline-type"),
                WatcherObjects.PIPELINE_TYPE,
                PipelineTypeStatus::new);
    }

    private long typeId(PipelineType type) {
        return objects.idOf(type, WatcherObjects.PIPELINE_TYPE);
    }

    // ---- pipelines ---------------------------------------------------------------------------

    void upsert(Context ctx) {
        WatcherRequest request = WatcherRequest.parse(ctx.body());
        String name = request.requiredName("name");
        String typeName = request.requiredName("pipeline_type_name");
        String nextWatermark = request.watermark("next_watermark");
        JsonNode metadata = request.object("pipeline_metadata");
        Threshold freshness = threshold(request, "freshness", null);
        Threshold timeliness = threshold(request, "timeliness", null);
        synchronized (writes) {
            Pipeline existing = objects.pipelines().byKey().get(name);
            if (existing != null) {
                Pipeline pipeline = existing;
                String current =
                        existing.getStatus() == null ? null : existing.getStatus().nextWatermark;
                if (nextWatermark != null && !nextWatermark.equals(current)) {
                    pipeline =
                            objects.updateStatus(
                                    existing,
                                    PipelineStatus::new,
                                    s -> s.nextWatermark = nextWatermark);
                }
                ctx.status(200).json(upserted(pipeline, nextWatermark != null));
                return;
            }
            PipelineType type = ensureType(typeName);
            Pipeline pipeline = new Pipeline();
            pipeline.setMetadata(new ObjectMeta());
            PipelineSpec spec = new PipelineSpec();
            spec.displayName = name;
            spec.pipelineTypeRef = ObjectRef.to(type.getMetadata().getName());
            spec.metadata = metadata;
            spec.freshness = freshness;
            spec.timeliness = timeliness;
            // The reference loads lineage on a new pipeline's first run.
            spec.loadLineage = true;
            spec.active = true;
            pipeline.setSpec(spec);
            Pipeline created =
                    objects.create(
                            pipeline,
                            WatcherObjects.slug(name, "pipeline"),
                            WatcherObjects.PIPELINE,
                            PipelineStatus::new);
            if (nextWatermark != null) {
                created =
                        objects.updateStatus(
                                created, PipelineStatus::new, s -> s.nextWatermark = nextWatermark);
            }
            ctx.status(201).json(upserted(created, nextWatermark != null));
        }
    }

    private Map<String, Object> upserted(Pipeline p, boolean withWatermark) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", objects.idOf(p, WatcherObjects.PIPELINE));
        body.put("active", !Boolean.FALSE.equals(p.getSpec().active));
        body.put("load_lineage", Boolean.TRUE.equals(p.getSpec().loadLineage));
        if (withWatermark) {
            body.put("watermark", p.getStatus() == null ? null : p.getStatus().watermark);
        }
        return body;
    }

    /**
     * Every pipeline of the namespace by id. The body is serialised once per change of the
     * Pipelines or PipelineTypes (clients poll this list); the last DML times in it are the ones
     * the operator copies into status, while GET /pipeline/{id} reads them from the store.
     */
    void list(Context ctx) throws Exception {
        long pipelines = resources.version(Pipeline.class);
        long types = resources.version(PipelineType.class);
        CachedList cached = list.get();
        if (cached == null || cached.pipelines() != pipelines || cached.types() != types) {
            WatcherObjects.Index<Pipeline> index = objects.pipelines();
            Map<String, Long> typeIds = objects.types().idByName();
            List<Map<String, Object>> views =
                    index.byId().entrySet().stream()
                            .sorted(Map.Entry.comparingByKey())
                            .map(
                                    e ->
                                            WatcherViews.pipeline(
                                                    e.getValue(),
                                                    e.getKey(),
                                                    typeIdOf(e.getValue(), typeIds),
                                                    null))
                            .toList();
            cached = new CachedList(pipelines, types, json.writeValueAsBytes(views));
            list.set(cached);
        }
        ctx.contentType("application/json").result(cached.body());
    }

    private record CachedList(long pipelines, long types, byte[] body) {}

    void get(Context ctx) {
        long id = WatcherRequest.pathId("pipeline_id", ctx.pathParam("pipeline_id"));
        ctx.json(view(find(id), id));
    }

    Pipeline find(long id) {
        return objects.pipeline(id)
                .orElseThrow(() -> WatcherApiException.notFound("Pipeline not found"));
    }

    Map<String, Object> view(Pipeline p, long id) {
        return WatcherViews.pipeline(
                p,
                id,
                typeIdOf(p, objects.types().idByName()),
                objects.store().executions().dmlTimes(id).orElse(null));
    }

    private static Long typeIdOf(Pipeline p, Map<String, Long> typeIds) {
        return p.getSpec().pipelineTypeRef == null
                ? null
                : typeIds.get(p.getSpec().pipelineTypeRef.name);
    }

    void patch(Context ctx) {
        WatcherRequest request = WatcherRequest.parse(ctx.body());
        long id = request.requiredId("id");
        String name = request.name("name");
        Long typeId = request.id("pipeline_type_id");
        String watermark = request.watermark("watermark");
        String nextWatermark = request.watermark("next_watermark");
        JsonNode metadata = request.object("pipeline_metadata");
        Boolean loadLineage = request.bool("load_lineage");
        synchronized (writes) {
            Pipeline current = find(id);
            PipelineType type =
                    typeId == null
                            ? objects.types().byKey().values().stream()
                                    .filter(t -> sameName(t, current.getSpec().pipelineTypeRef))
                                    .findFirst()
                                    .orElse(null)
                            : objects.type(typeId)
                                    .orElseThrow(
                                            () ->
                                                    WatcherApiException.notFound(
                                                            "Pipeline type not found"));
            Threshold freshness =
                    threshold(
                            request,
                            "freshness",
                            merged(
                                    current.getSpec().freshness,
                                    type == null ? null : type.getSpec().freshness));
            Threshold timeliness =
                    threshold(
                            request,
                            "timeliness",
                            merged(
                                    current.getSpec().timeliness,
                                    type == null ? null : type.getSpec().timeliness));
            if (name != null && !name.equals(current.getSpec().displayName)) {
                Pipeline other = objects.pipelines().byKey().get(name);
                if (other != null) {
                    throw WatcherApiException.badRequest("A pipeline named '" + name + "' exists");
                }
            }
            boolean specChanges =
                    name != null
                            || typeId != null
                            || metadata != null
                            || loadLineage != null
                            || changed(request, "freshness")
                            || changed(request, "timeliness");
            Pipeline updated = current;
            if (specChanges) {
                updated =
                        objects.updateSpec(
                                current,
                                p -> {
                                    PipelineSpec spec = p.getSpec();
                                    if (name != null) {
                                        spec.displayName = name;
                                    }
                                    if (typeId != null) {
                                        spec.pipelineTypeRef =
                                                ObjectRef.to(type.getMetadata().getName());
                                    }
                                    if (metadata != null) {
                                        spec.metadata = metadata;
                                    }
                                    if (loadLineage != null) {
                                        spec.loadLineage = loadLineage;
                                    }
                                    if (changed(request, "freshness")) {
                                        spec.freshness = freshness;
                                    }
                                    if (changed(request, "timeliness")) {
                                        spec.timeliness = timeliness;
                                    }
                                });
            }
            if (watermark != null || nextWatermark != null) {
                updated =
                        objects.updateStatus(
                                updated,
                                PipelineStatus::new,
                                s -> {
                                    if (watermark != null) {
                                        s.watermark = watermark;
                                    }
                                    if (nextWatermark != null) {
                                        s.nextWatermark = nextWatermark;
                                    }
                                });
            }
            ctx.json(view(updated, id));
        }
    }

    private static boolean sameName(PipelineType t, ObjectRef ref) {
        return ref != null && t.getMetadata().getName().equals(ref.name);
    }

    private static boolean changed(WatcherRequest request, String check) {
        return request.has(check + "_number")
                || request.has(check + "_datepart")
                || request.has("mute_" + check + "_check");
    }

    /** The pipeline's own threshold, else a copy of its type's (so a mute can start from it). */
    private static Threshold merged(Threshold own, Threshold ofType) {
        Threshold base = own != null ? own : ofType;
        if (base == null) {
            return null;
        }
        Threshold copy = new Threshold();
        copy.number = base.number;
        copy.datepart = base.datepart;
        copy.muted = base.muted;
        return copy;
    }

    /**
     * The {@code <check>_number}, {@code <check>_datepart} and {@code mute_<check>_check} fields
     * applied to {@code base} (null: none): a threshold needs its number and date part, a mute
     * needs a threshold to mute.
     */
    static Threshold threshold(WatcherRequest request, String check, Threshold base) {
        Long number = request.integer(check + "_number", 1, 1_000_000);
        DatePart part = request.datePart(check + "_datepart");
        Boolean muted = request.bool("mute_" + check + "_check");
        Threshold t = base != null ? base : new Threshold();
        if (number != null) {
            t.number = number.intValue();
        }
        if (part != null) {
            t.datepart = dev.millrace.crds.common.DatePart.valueOf(part.name());
        }
        if (muted != null) {
            t.muted = muted ? Boolean.TRUE : null;
        }
        if (t.number == null && t.datepart == null) {
            if (Boolean.TRUE.equals(t.muted)) {
                throw WatcherApiException.invalid(
                        "mute_" + check + "_check",
                        "needs " + check + "_number and " + check + "_datepart to mute");
            }
            return null;
        }
        if (t.number == null) {
            throw WatcherApiException.invalid(
                    check + "_number", "field required with " + check + "_datepart");
        }
        if (t.datepart == null) {
            throw WatcherApiException.invalid(
                    check + "_datepart", "field required with " + check + "_number");
        }
        return t;
    }
}
