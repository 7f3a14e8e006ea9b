package dev.millrace.crds.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import java.util.List;
import java.util.Map;

/**
 * Turns a CRD's structural schema into a JSON Schema (OpenAPI 3.0 dialect) for the networknt
 * validator, with the API server's meaning:
 *
 * <ul>
 *   <li>{@code x-kubernetes-*} keys, descriptions and defaults are dropped (defaults are applied
 *       separately, CEL rules are evaluated separately);
 *   <li>{@code x-kubernetes-int-or-string} becomes {@code type: [integer, string]}, so a wrong
 *       value gives one type error instead of one per {@code anyOf} branch;
 *   <li>an object with declared properties and no {@code additionalProperties} gets {@code
 *       additionalProperties: false} unless it preserves unknown fields: the API server would prune
 *       such fields silently, and {@code kubectl apply --validate=strict} refuses them, which is
 *       what Millrace does.
 * </ul>
 *
 * Schema features this validator cannot enforce like the API server are refused when the CRD is
 * loaded, so a new annotation on an API type fails the crds build instead of going unchecked.
 */
final class JsonSchemaConversion {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** What fabric8 generates for x-kubernetes-int-or-string; replaced by a type list. */
    private static final List<JSONSchemaProps> INT_OR_STRING_BRANCHES =
            List.of(
                    new JSONSchemaPropsBuilder().withType("integer").build(),
                    new JSONSchemaPropsBuilder().withType("string").build());

    private JsonSchemaConversion() {}

    static ObjectNode toJsonSchema(JSONSchemaProps schema) {
        return convert(schema, "", true);
    }

    /**
     * @param structural false inside allOf/anyOf/oneOf/not, whose branches only add value checks:
     *     their properties list is no statement about which fields exist
     */
    private static ObjectNode convert(JSONSchemaProps schema, String path, boolean structural) {
        refuseUnenforcedFeatures(schema, path);
        ObjectNode out = JSON.objectNode();
        if (Schemas.isIntOrString(schema)) {
            out.putArray("type").add("integer").add("string");
        } else if (schema.getType() != null) {
            out.put("type", schema.getType());
        }
        if (Schemas.isNullable(schema)) {
            out.put("nullable", true);
        }
        // fabric8's model holds absent lists as empty ones; an empty enum would allow nothing.
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            ArrayNode values = out.putArray("enum");
            schema.getEnum().forEach(value -> values.add(value.deepCopy()));
            if (Schemas.isNullable(schema)) {
                values.addNull();
            }
        }
        putIfSet(out, "maximum", schema.getMaximum());
        putIfSet(out, "exclusiveMaximum", schema.getExclusiveMaximum());
        putIfSet(out, "minimum", schema.getMinimum());
        putIfSet(out, "exclusiveMinimum", schema.getExclusiveMinimum());
        putIfSet(out, "multipleOf", schema.getMultipleOf());
        putIfSet(out, "maxLength", schema.getMaxLength());
        putIfSet(out, "minLength", schema.getMinLength());
        if (schema.getPattern() != null) {
            out.put("pattern", schema.getPattern());
        }
        putIfSet(out, "maxItems", schema.getMaxItems());
        putIfSet(out, "minItems", schema.getMinItems());
        // A list-type set is a list whose items are unique: the same check as uniqueItems.
        if (Boolean.TRUE.equals(schema.getUniqueItems())
                || "set".equals(schema.getXKubernetesListType())) {
            out.put("uniqueItems", true);
        }
        putIfSet(out, "maxProperties", schema.getMaxProperties());
        putIfSet(out, "minProperties", schema.getMinProperties());
        if (schema.getRequired() != null && !schema.getRequired().isEmpty()) {
            ArrayNode required = out.putArray("required");
            schema.getRequired().forEach(required::add);
        }
        if (schema.getProperties() != null && !schema.getProperties().isEmpty()) {
            ObjectNode properties = out.putObject("properties");
            for (Map.Entry<String, JSONSchemaProps> property : schema.getProperties().entrySet()) {
                properties.set(
                        property.getKey(),
                        convert(
                                property.getValue(),
                                Schemas.childPath(path, property.getKey()),
                                structural));
            }
        }
        JSONSchemaProps items = Schemas.items(schema);
        if (items != null) {
            out.set("items", convert(items, path + "[*]", structural));
        }
        putAdditionalProperties(out, schema, path, structural);
        putSubschemas(out, "allOf", schema.getAllOf(), path);
        if (!(Schemas.isIntOrString(schema) && INT_OR_STRING_BRANCHES.equals(schema.getAnyOf()))) {
            putSubschemas(out, "anyOf", schema.getAnyOf(), path);
        }
        putSubschemas(out, "oneOf", schema.getOneOf(), path);
        if (schema.getNot() != null) {
            out.set("not", convert(schema.getNot(), path, false));
        }
        return out;
    }

    private static void putAdditionalProperties(
            ObjectNode out, JSONSchemaProps schema, String path, boolean structural) {
        if (schema.getAdditionalProperties() != null) {
            JSONSchemaProps values = schema.getAdditionalProperties().getSchema();
            if (values != null) {
                out.set("additionalProperties", convert(values, path + ".*", structural));
            } else if (Boolean.FALSE.equals(schema.getAdditionalProperties().getAllows())) {
                out.put("additionalProperties", false);
            }
            return;
        }
        boolean structuredObject =
                "object".equals(schema.getType())
                        || (schema.getProperties() != null && !schema.getProperties().isEmpty());
        if (structural && structuredObject && !Schemas.preservesUnknownFields(schema)) {
            out.put("additionalProperties", false);
        }
    }

    private static void putSubschemas(
            ObjectNode out, String keyword, List<JSONSchemaProps> schemas, String path) {
        if (schemas == null || schemas.isEmpty()) {
            return;
        }
        ArrayNode array = out.putArray(keyword);
        schemas.forEach(branch -> array.add(convert(branch, path, false)));
    }

    private static void refuseUnenforcedFeatures(JSONSchemaProps schema, String path) {
        if (Boolean.TRUE.equals(schema.getXKubernetesEmbeddedResource())) {
            throw unenforced(path, "x-kubernetes-embedded-resource");
        }
        if ("map".equals(schema.getXKubernetesListType())) {
            throw unenforced(path, "x-kubernetes-list-type: map");
        }
        if (schema.getFormat() != null) {
            // The API server's formats (Go durations, int32, ...) differ from JSON Schema's.
            throw unenforced(path, "format: " + schema.getFormat());
        }
        if (schema.getItems() != null && schema.getItems().getJSONSchemas() != null) {
            if (!schema.getItems().getJSONSchemas().isEmpty()) {
                throw unenforced(path, "tuple items");
            }
        }
    }

    private static IllegalArgumentException unenforced(String path, String feature) {
        return new IllegalArgumentException(
                "The Millrace CRD validator does not enforce "
                        + feature
                        + " (at "
                        + (path.isEmpty() ? "the schema root" : path)
                        + "); local mode would accept what a cluster refuses. Extend"
                        + " dev.millrace.crds.validation before using it in an API type.");
    }

    private static void putIfSet(ObjectNode out, String keyword, Object value) {
        if (value instanceof Double d) {
            out.put(keyword, d);
        } else if (value instanceof Long l) {
            out.put(keyword, l);
        } else if (value instanceof Integer i) {
            out.put(keyword, i);
        } else if (value instanceof Boolean b) {
            out.put(keyword, b);
        } else if (value instanceof JsonNode node) {
            out.set(keyword, node.deepCopy());
        }
    }
}
