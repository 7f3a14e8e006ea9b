package dev.millrace.crds.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the API server does to a custom resource while decoding it, before validation: drop {@code
 * null} values of fields that are not nullable, then fill in the schema's {@code default}s for
 * absent fields, outside in (a defaulted object gets its own fields' defaults too).
 */
final class Defaulting {
    private Defaulting() {}

    /** Mutates {@code value} in place; callers pass a copy. */
    static void apply(JSONSchemaProps schema, JsonNode value) {
        if (schema == null || value == null) {
            return;
        }
        if (value instanceof ObjectNode object) {
            applyToObject(schema, object);
        } else if (value.isArray()) {
            JSONSchemaProps items = Schemas.items(schema);
            value.forEach(item -> apply(items, item));
        }
    }

    private static void applyToObject(JSONSchemaProps schema, ObjectNode object) {
        List<String> nullsToDrop = new ArrayList<>();
        object.fieldNames()
                .forEachRemaining(
                        name -> {
                            JSONSchemaProps field = Schemas.property(schema, name);
                            if (object.get(name).isNull()
                                    && field != null
                                    && !Schemas.isNullable(field)) {
                                nullsToDrop.add(name);
                            }
                        });
        object.remove(nullsToDrop);

        if (schema.getProperties() != null) {
            for (Map.Entry<String, JSONSchemaProps> property : schema.getProperties().entrySet()) {
                JsonNode defaultValue = property.getValue().getDefault();
                if (defaultValue != null && !object.has(property.getKey())) {
                    object.set(property.getKey(), defaultValue.deepCopy());
                }
            }
        }
        object.properties()
                .forEach(
                        field -> apply(Schemas.property(schema, field.getKey()), field.getValue()));
    }
}
