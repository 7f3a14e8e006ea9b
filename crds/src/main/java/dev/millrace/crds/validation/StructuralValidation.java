package dev.millrace.crds.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.NodePath;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI part of a CRD schema (types, enums, bounds, lengths, patterns, required, unknown
 * fields), checked by the networknt JSON Schema validator and reported with the API server's
 * wording (kube-openapi's messages as apiextensions-apiserver wraps them in field errors).
 */
final class StructuralValidation {
    /**
     * OpenAPI 3.0 is the dialect CRD schemas are written in (boolean exclusiveMaximum, nullable).
     * Lossless narrowing accepts 3.0 for an integer field, as the API server's decoder does.
     */
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDialect(
                    Dialects.getOpenApi30(),
                    registry ->
                            registry.schemaRegistryConfig(
                                    SchemaRegistryConfig.builder()
                                            .losslessNarrowing(true)
                                            .build()));

    /** The validator works on Jackson 3 trees; Millrace and fabric8 use Jackson 2. */
    private static final JsonMapper JACKSON_3 = JsonMapper.builder().build();

    record Outcome(List<FieldError> errors, boolean blocksCelRules) {}

    private final JSONSchemaProps rootSchema;
    private final Schema jsonSchema;

    StructuralValidation(JSONSchemaProps rootSchema) {
        this.rootSchema = rootSchema;
        String converted = JsonSchemaConversion.toJsonSchema(rootSchema).toString();
        this.jsonSchema = REGISTRY.getSchema(JACKSON_3.readTree(converted));
    }

    Outcome validate(JsonNode object) {
        List<Error> found = jsonSchema.validate(JACKSON_3.readTree(object.toString()));
        // A value of the wrong type fails its enum, pattern, ... too; the type error alone says it.
        Set<NodePath> wrongType = new HashSet<>();
        for (Error error : found) {
            if ("type".equals(error.getKeyword())) {
                wrongType.add(error.getInstanceLocation());
            }
        }
        List<FieldError> errors = new ArrayList<>();
        boolean blocksCelRules = false;
        for (Error error : found) {
            if (!"type".equals(error.getKeyword())
                    && wrongType.contains(error.getInstanceLocation())) {
                continue;
            }
            // The API server skips CEL rules after these two kinds of error (hasBlockingErr).
            blocksCelRules |=
                    "type".equals(error.getKeyword()) || "enum".equals(error.getKeyword());
            if ("uniqueItems".equals(error.getKeyword())) {
                errors.addAll(duplicates(locate(error.getInstanceLocation(), object)));
            } else {
                errors.add(translate(error, locate(error.getInstanceLocation(), object)));
            }
        }
        // networknt reports depth first; parents before children reads better and is stable.
        errors.sort(Comparator.comparing(FieldError::path));
        return new Outcome(errors, blocksCelRules);
    }

    /** A place in the object: its field path, its schema node and its value. */
    private record Located(String path, JSONSchemaProps schema, JsonNode value) {}

    private Located locate(NodePath location, JsonNode object) {
        String path = "";
        JSONSchemaProps schema = rootSchema;
        JsonNode value = object;
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path = Schemas.indexPath(path, index);
                schema = Schemas.items(schema);
                value = value.path(index);
            } else {
                String name = String.valueOf(element);
                path = Schemas.childPath(path, name);
                schema = Schemas.property(schema, name);
                value = value.path(name);
            }
        }
        return new Located(path, schema, value);
    }

    /**
     * Every repeated item of a list-type set, by index, as the API server lists them (uniqueItems
     * itself is not allowed in CRDs, so this is the only way it arises).
     */
    private static List<FieldError> duplicates(Located list) {
        List<FieldError> errors = new ArrayList<>();
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < list.value().size(); i++) {
            JsonNode item = list.value().get(i);
            if (!seen.add(item)) {
                errors.add(FieldError.duplicate(Schemas.indexPath(list.path(), i), item));
            }
        }
        return errors;
    }

    private static FieldError translate(Error error, Located at) {
        String path = at.path();
        JSONSchemaProps schema = at.schema();
        JsonNode value = at.value();
        return switch (error.getKeyword()) {
            case "required" ->
                    FieldError.required(Schemas.childPath(path, error.getProperty()), null);
            case "additionalProperties" ->
                    FieldError.unknownField(
                            Schemas.childPath(path, error.getProperty()), error.getProperty());
            case "type" ->
                    FieldError.invalid(
                            path,
                            jsonType(value),
                            inBody(path)
                                    + " must be of type "
                                    + Schemas.typeName(schema)
                                    + ": "
                                    + GoFormat.quote(jsonType(value)));
            case "enum" ->
                    FieldError.notSupported(
                            path,
                            value,
                            schema.getEnum().stream().map(StructuralValidation::enumText).toList());
            case "pattern" ->
                    FieldError.invalid(
                            path,
                            value,
                            inBody(path) + " should match '" + schema.getPattern() + "'");
            case "maxLength" -> FieldError.tooLong(path, schema.getMaxLength());
            case "minLength" ->
                    FieldError.invalid(
                            path,
                            value,
                            inBody(path)
                                    + " should be at least "
                                    + schema.getMinLength()
                                    + " chars long");
            case "maximum" ->
                    FieldError.invalid(
                            path,
                            value,
                            inBody(path)
                                    + (Boolean.TRUE.equals(schema.getExclusiveMaximum())
                                            ? " should be less than "
                                            : " should be less than or equal to ")
                                    + GoFormat.number(schema.getMaximum()));
            case "minimum" ->
                    FieldError.invalid(
                            path,
                            value,
                            inBody(path)
                                    + (Boolean.TRUE.equals(schema.getExclusiveMinimum())
                                            ? " should be greater than "
                                            : " should be greater than or equal to ")
                                    + GoFormat.number(schema.getMinimum()));
            case "multipleOf" ->
                    FieldError.invalid(
                            path,
                            value,
                            inBody(path)
                                    + " should be a multiple of "
                                    + GoFormat.number(schema.getMultipleOf()));
            case "maxItems" -> FieldError.tooMany(path, value.size(), schema.getMaxItems());
            case "minItems" ->
                    FieldError.invalid(
                            path,
                            value.size(),
                            inBody(path)
                                    + " should have at least "
                                    + schema.getMinItems()
                                    + " items");
            case "maxProperties" ->
                    FieldError.tooMany(path, value.size(), schema.getMaxProperties());
            case "minProperties" ->
                    FieldError.invalid(
                            path,
                            value.size(),
                            inBody(path)
                                    + " should have at least "
                                    + schema.getMinProperties()
                                    + " properties");
            default -> FieldError.invalid(path, value, inBody(path) + " " + error.getMessage());
        };
    }

    /** kube-openapi names the field "in body" in every message it writes. */
    private static String inBody(String path) {
        return (path.isEmpty() ? FieldError.ROOT_PATH : path) + " in body";
    }

    /** The JSON type of a value as the API server names it in type errors. */
    private static String jsonType(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING, BINARY -> "string";
            case NUMBER -> value.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            case OBJECT, POJO -> "object";
            case ARRAY -> "array";
            case NULL, MISSING -> "null";
        };
    }

    /** The API server formats each allowed value with %v, then quotes it. */
    private static String enumText(JsonNode value) {
        return value.isTextual() ? value.textValue() : value.toString();
    }
}
