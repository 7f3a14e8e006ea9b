package dev.millrace.crds.validation;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

/**
 * Navigation and questions over a CRD's structural schema (the fabric8 model of openAPIV3Schema),
 * shared by structural validation, CEL rules and defaulting so all three read the schema the same
 * way.
 */
final class Schemas {
    private Schemas() {}

    /** The schema of a field of an object: a declared property, else the map value schema. */
    static JSONSchemaProps property(JSONSchemaProps object, String name) {
        if (object == null) {
            return null;
        }
        if (object.getProperties() != null && object.getProperties().containsKey(name)) {
            return object.getProperties().get(name);
        }
        return mapValues(object);
    }

    /** The schema of a map's values ({@code additionalProperties}), if the object is a map. */
    static JSONSchemaProps mapValues(JSONSchemaProps object) {
        return object == null || object.getAdditionalProperties() == null
                ? null
                : object.getAdditionalProperties().getSchema();
    }

    static JSONSchemaProps items(JSONSchemaProps array) {
        return array == null || array.getItems() == null ? null : array.getItems().getSchema();
    }

    static boolean isDeclaredProperty(JSONSchemaProps object, String name) {
        return object.getProperties() != null && object.getProperties().containsKey(name);
    }

    static boolean isNullable(JSONSchemaProps schema) {
        return schema != null && Boolean.TRUE.equals(schema.getNullable());
    }

    static boolean isIntOrString(JSONSchemaProps schema) {
        return schema != null && Boolean.TRUE.equals(schema.getXKubernetesIntOrString());
    }

    static boolean preservesUnknownFields(JSONSchemaProps schema) {
        return schema != null && Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields());
    }

    /**
     * The type name the API server prints for a schema node (in CEL errors and type errors);
     * int-or-string nodes have no single type.
     */
    static String typeName(JSONSchemaProps schema) {
        if (isIntOrString(schema)) {
            return "integer,string";
        }
        return schema == null || schema.getType() == null ? "" : schema.getType();
    }

    /** {@code spec} + {@code streams} = {@code spec.streams}. */
    static String childPath(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /** {@code spec.streams} + 0 = {@code spec.streams[0]}. */
    static String indexPath(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
