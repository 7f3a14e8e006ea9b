package dev.millrace.crds.validation;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** One served version of one CRD, with its schema compiled for validation. */
final class CrdVersionSchema {
    private static final JSONSchemaProps OBJECT_META = objectMetaSchema();

    final String group;
    final String kind;
    final String version;

    /**
     * The version's openAPIV3Schema plus the fields every object has and a CRD does not declare
     * (apiVersion, kind, metadata), so unknown top-level and metadata fields are found as well.
     */
    final JSONSchemaProps rootSchema;

    final StructuralValidation structural;
    final CelRules celRules;

    CrdVersionSchema(CustomResourceDefinition crd, CustomResourceDefinitionVersion version) {
        this.group = crd.getSpec().getGroup();
        this.kind = crd.getSpec().getNames().getKind();
        this.version = version.getName();
        if (version.getSchema() == null || version.getSchema().getOpenAPIV3Schema() == null) {
            throw new IllegalArgumentException(
                    crd.getMetadata().getName() + " " + this.version + " has no openAPIV3Schema");
        }
        this.rootSchema = withImplicitFields(version.getSchema().getOpenAPIV3Schema());
        try {
            this.structural = new StructuralValidation(rootSchema);
            this.celRules = new CelRules(rootSchema);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    crd.getMetadata().getName() + " " + this.version + ": " + e.getMessage(), e);
        }
    }

    String apiVersion() {
        return group + "/" + version;
    }

    private static JSONSchemaProps withImplicitFields(JSONSchemaProps declared) {
        return new JSONSchemaPropsBuilder(declared)
                .withType("object")
                .addToProperties("apiVersion", string())
                .addToProperties("kind", string())
                .addToProperties("metadata", OBJECT_META)
                .build();
    }

    /**
     * ObjectMeta's field names come from fabric8's model so they follow Kubernetes; only the fields
     * Millrace reads get a type, the rest accept whatever the API server would.
     */
    private static JSONSchemaProps objectMetaSchema() {
        ObjectMapper mapper = new ObjectMapper();
        BeanDescription objectMeta =
                mapper.getSerializationConfig().introspect(mapper.constructType(ObjectMeta.class));
        Map<String, JSONSchemaProps> fields = new LinkedHashMap<>();
        for (BeanPropertyDefinition field : objectMeta.findProperties()) {
            fields.put(
                    field.getName(),
                    new JSONSchemaPropsBuilder()
                            .withXKubernetesPreserveUnknownFields(true)
                            .build());
        }
        fields.put("name", string());
        fields.put("generateName", string());
        fields.put("namespace", string());
        fields.put("labels", stringMap());
        fields.put("annotations", stringMap());
        return new JSONSchemaPropsBuilder().withType("object").withProperties(fields).build();
    }

    private static JSONSchemaProps string() {
        return new JSONSchemaPropsBuilder().withType("string").build();
    }

    private static JSONSchemaProps stringMap() {
        return new JSONSchemaPropsBuilder()
                .withType("object")
                .withNewAdditionalProperties()
                .withSchema(string())
                .endAdditionalProperties()
                .build();
    }
}
