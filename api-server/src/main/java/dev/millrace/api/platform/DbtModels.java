package dev.millrace.api.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.kube.Annotator;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.model.Model;
import dev.millrace.crds.model.ModelSpec;
import dev.millrace.crds.model.ModelStatus;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dbt endpoints: GET /api/dbt/models lists the namespace's Model resources in the shape of
 * dbt's model list, and POST /api/dbt/models/{name}/run requests a run with the {@code
 * millrace.dev/run} annotation, which the operator turns into a Job.
 */
final class DbtModels {
    /** {@code {{ ref('name') }}} or {@code {{ ref("name") }}}, as dbt writes a dependency. */
    private static final Pattern REF =
            Pattern.compile("\\{\\{\\s*ref\\(\\s*(['\"])([^'\"]+)\\1\\s*\\)\\s*}}");

    private static final int MAX_NAME_LENGTH = 253;

    private final KubernetesClient client;
    private final Store store;
    private final String namespace;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    DbtModels(KubernetesClient client, Store store, String namespace, Clock clock) {
        this.client = client;
        this.store = store;
        this.namespace = namespace;
        this.clock = clock;
    }

    Map<String, Object> list() {
        List<Map<String, Object>> models = new ArrayList<>();
        client.resources(Model.class).inNamespace(namespace).list().getItems().stream()
                .sorted(Comparator.comparing(m -> m.getMetadata().getName()))
                .forEach(m -> models.add(view(m)));
        return Map.of("models", models);
    }

    /**
     * POST /api/dbt/models/{model_name}/run?cascade=true|false (default true, as Dango).
     *
     * @throws PlatformApiException 404 unknown model, 400 a cascade that is not a boolean, 409
     *     while the model's run is requested or running
     */
    void run(Context ctx) {
        Model model = find(ctx.pathParam("model_name"));
        boolean cascade = bool("cascade", ctx.queryParam("cascade"), true);
        String name = model.getMetadata().getName();
        if (isRunning(model)) {
            throw PlatformApiException.conflict("Model run already in progress for " + name);
        }
        new Annotator(client)
                .annotate(
                        model,
                        Map.of(
                                MillraceApi.RUN_ANNOTATION,
                                UUID.randomUUID().toString(),
                                MillraceApi.RUN_OPTIONS_ANNOTATION,
                                "{\"cascade\":" + cascade + "}"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("message", "dbt model '" + name + "' run started");
        body.put("model_name", name);
        body.put("started_at", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        ctx.json(body);
    }

    private Model find(String name) {
        Model model =
                name == null
                                || name.length() > MAX_NAME_LENGTH
                                || !name.matches("[a-z0-9]([-a-z0-9._]*[a-z0-9])?")
                        ? null
                        : client.resources(Model.class).inNamespace(namespace).withName(name).get();
        if (model == null) {
            throw PlatformApiException.notFound("Model '" + name + "' not found");
        }
        return model;
    }

    private boolean isRunning(Model model) {
        var annotations = model.getMetadata().getAnnotations();
        if (annotations != null && annotations.containsKey(MillraceApi.RUN_ANNOTATION)) {
            return true;
        }
        if (model.getStatus() != null && model.getStatus().status == ModelStatus.Phase.RUNNING) {
            return true;
        }
        return !store.modelRuns().active(namespace, model.getMetadata().getName()).isEmpty();
    }

    /**
     * A query flag as FastAPI reads one: true/false, 1/0, yes/no, on/off; absent is the default.
     */
    static boolean bool(String parameter, String value, boolean absent) {
        if (value == null) {
            return absent;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on":
                return true;
            case "false", "0", "no", "off":
                return false;
            default:
                throw PlatformApiException.badRequest(
                        parameter + " must be a boolean, not '" + value + "'");
        }
    }

    private Map<String, Object> view(Model model) {
        ModelSpec spec = model.getSpec() == null ? new ModelSpec() : model.getSpec();
        ModelStatus status = model.getStatus();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", model.getMetadata().getName());
        view.put("description", spec.description == null ? "" : spec.description);
        view.put("database", spec.destinationRef == null ? null : spec.destinationRef.name);
        view.put("schema", spec.schema);
        view.put("depends_on", dependsOn(spec));
        view.put(
                "materialization",
                spec.materialization == null
                        ? "view"
                        : json.valueToTree(spec.materialization).asText());
        view.put(
                "status",
                status == null || status.status == null
                        ? "not_run"
                        : json.valueToTree(status.status).asText());
        view.put("last_run", status == null ? null : status.lastRun);
        view.put("row_count", status == null ? null : status.rowCount);
        if (status != null && status.lastError != null) {
            view.put("error", status.lastError);
        }
        return view;
    }

    static List<String> dependsOn(ModelSpec spec) {
        Set<String> names = new LinkedHashSet<>();
        if (spec.dependsOn != null) {
            names.addAll(spec.dependsOn);
        }
        if (spec.sql != null) {
            Matcher m = REF.matcher(spec.sql);
            while (m.find()) {
                names.add(m.group(2));
            }
        }
        return List.copyOf(names);
    }
}
