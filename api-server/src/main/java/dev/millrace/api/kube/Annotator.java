package dev.millrace.api.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets action annotations with a JSON Patch. JSON merge patch would be shorter, but the Fabric8
 * mock server behind local mode stores its nulls and appends its arrays (DESIGN §9); JSON Patch
 * behaves the same there and on a real cluster.
 */
public final class Annotator {
    private final KubernetesClient client;

    public Annotator(KubernetesClient client) {
        this.client = client;
    }

    public <T extends HasMetadata> T annotate(T resource, Map<String, String> annotations) {
        List<Map<String, Object>> ops = new ArrayList<>();
        if (resource.getMetadata().getAnnotations() == null) {
            ops.add(
                    Map.of(
                            "op",
                            "add",
                            "path",
                            "/metadata/annotations",
                            "value",
                            new LinkedHashMap<>()));
        }
        annotations.forEach(
                (key, value) ->
                        ops.add(
                                Map.of(
                                        "op",
                                        "add",
                                        "path",
                                        "/metadata/annotations/" + escape(key),
                                        "value",
                                        value)));
        return client.resource(resource)
                .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(ops));
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
