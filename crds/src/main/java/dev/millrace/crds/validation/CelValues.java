package dev.millrace.crds.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.NullValue;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Object values as CEL sees them: objects as maps (so {@code has(self.x)} tests presence), arrays
 * as lists, integers as int, and fields the schema types as {@code number} as double even when
 * written without a fraction, as the API server's schema-typed values are.
 */
final class CelValues {
    private CelValues() {}

    static Object of(JsonNode value, JSONSchemaProps schema) {
        if (value.isNull()) {
            return NullValue.NULL_VALUE;
        }
        if (value.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                map.put(
                        field.getKey(),
                        of(field.getValue(), Schemas.property(schema, field.getKey())));
            }
            return Collections.unmodifiableMap(map);
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>(value.size());
            value.forEach(item -> list.add(of(item, Schemas.items(schema))));
            return Collections.unmodifiableList(list);
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        boolean typedAsNumber = schema != null && "number".equals(schema.getType());
        if (value.isIntegralNumber() && value.canConvertToLong() && !typedAsNumber) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        return value.asText();
    }
}
