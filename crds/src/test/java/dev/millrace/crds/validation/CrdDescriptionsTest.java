package dev.millrace.crds.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** `kubectl explain connection.spec.schedule` has something to say for every spec field. */
class CrdDescriptionsTest {
    /**
     * Fields typed with Kubernetes' own API types: fabric8 copies their schemas without
     * descriptions, and their documentation is Kubernetes' (kubectl explain
     * pod.spec.containers.resources). The field itself still needs a description.
     */
    private static final Set<String> KUBERNETES_TYPED_FIELDS =
            Set.of(
                    "Connection spec.resources",
                    "Connector spec.secretRef",
                    "Source spec.rest.auth.secretRef",
                    "Source spec.stripe.secretRef");

    @Test
    void everySpecPropertyOfEveryCrdHasADescription() {
        List<String> undocumented = new ArrayList<>();
        for (CustomResourceDefinition crd : MillraceCrds.load(new KubernetesSerialization())) {
            String kind = crd.getSpec().getNames().getKind();
            JSONSchemaProps spec =
                    crd.getSpec()
                            .getVersions()
                            .get(0)
                            .getSchema()
                            .getOpenAPIV3Schema()
                            .getProperties()
                            .get("spec");
            collectUndocumented(kind, spec, "spec", undocumented);
        }

        assertThat(undocumented)
                .as("properties without a description (add @JsonPropertyDescription)")
                .isEmpty();
    }

    private static void collectUndocumented(
            String kind, JSONSchemaProps schema, String path, List<String> undocumented) {
        if (schema == null || KUBERNETES_TYPED_FIELDS.contains(kind + " " + path)) {
            return;
        }
        if (schema.getProperties() != null) {
            for (Map.Entry<String, JSONSchemaProps> property : schema.getProperties().entrySet()) {
                String propertyPath = path + "." + property.getKey();
                String description = property.getValue().getDescription();
                if (description == null || description.isBlank()) {
                    undocumented.add(kind + " " + propertyPath);
                }
                collectUndocumented(kind, property.getValue(), propertyPath, undocumented);
            }
        }
        collectUndocumented(kind, Schemas.items(schema), path + "[]", undocumented);
        collectUndocumented(kind, Schemas.mapValues(schema), path + ".*", undocumented);
    }
}
