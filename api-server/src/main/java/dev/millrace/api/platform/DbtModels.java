package dev.millrace.api.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.crds.model.Model;
import dev.millrace.crds.model.ModelSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GET /api/dbt/models: the namespace's Model resources in the shape of dbt's model list. */
final class DbtModels {
    /** {@code {{ ref('name') }}} or {@code {{ ref("name") }}}, as dbt writes a dependency. */
    private static final Pattern REF =
            Pattern.compile("\\{\\{\\s*ref\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*}}");

    private final KubernetesClient client;
    private final String namespace;
    private final ObjectMapper json = new ObjectMapper();

    DbtModels(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    Map<String, Object> list() {
        List<Map<String, Object>> models = new ArrayList<>();
        client.resources(Model.class).inNamespace(namespace).list().getItems().stream()
                .sorted(Comparator.comparing(m -> m.getMetadata().getName()))
                .forEach(m -> models.add(view(m)));
        return Map.of("models", models);
    }

    private Map<String, Object> view(Model model) {
        ModelSpec spec = model.getSpec() == null ? new ModelSpec() : model.getSpec();
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
                model.getStatus() == null || model.getStatus().status == null
                        ? "not_run"
                        : json.valueToTree(model.getStatus().status).asText());
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
                names.add(m.group(1));
            }
        }
        return List.copyOf(names);
    }
}
