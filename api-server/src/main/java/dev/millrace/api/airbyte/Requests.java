package dev.millrace.api.airbyte;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reading request bodies, ids and query parameters strictly: a field this API does not support is
 * refused with its name rather than ignored, so a script never believes a setting took effect.
 */
final class Requests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID_TEXT =
            Pattern.compile(
                    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private Requests() {}

    /** The body as a JSON object; anything else is a 400. */
    static ObjectNode object(String body) {
        if (body == null || body.isBlank()) {
            throw PublicApiException.invalidBody("Request body must be a JSON object");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (Exception e) {
            throw PublicApiException.invalidBody("Request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw PublicApiException.invalidBody("Request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Refuses fields outside {@code allowed}; a field sent as null counts as absent. */
    static void onlyFields(ObjectNode node, Set<String> allowed, String where) {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name) && !node.get(name).isNull()) {
                unknown.add(where + name);
            }
        }
        if (!unknown.isEmpty()) {
            throw PublicApiException.invalidBody(
                    "Unsupported field(s): "
                            + String.join(", ", unknown)
                            + "; supported: "
                            + String.join(", ", allowed.stream().sorted().toList()));
        }
    }

    static boolean present(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    /** A string field, or null when absent or null. */
    static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw PublicApiException.invalidBody(where + field + " must be a string");
        }
        return value.textValue();
    }

    static String requiredText(JsonNode node, String field, String where) {
        String value = text(node, field, where);
        if (value == null) {
            throw PublicApiException.invalidBody(where + field + " is required");
        }
        return value;
    }

    static ObjectNode optionalObject(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw PublicApiException.invalidBody(where + field + " must be a JSON object");
        }
        return (ObjectNode) value;
    }

    /** A UUID as Airbyte ids are; anything else is a 400 naming the kind of id. */
    static String uuid(String value, String kind) {
        if (value == null || !UUID_TEXT.matcher(value).matches()) {
            throw PublicApiException.invalidId(
                    kind, "'" + value + "' is not a valid " + kind + " ID (a UUID)");
        }
        return value.toLowerCase(java.util.Locale.ROOT);
    }

    /** A UUID field of a body: required, a string and a UUID. */
    static String uuidField(JsonNode node, String field, String kind) {
        String value = requiredText(node, field, "");
        try {
            return uuid(value, kind);
        } catch (PublicApiException e) {
            throw PublicApiException.invalidBody(field + ": " + e.getMessage());
        }
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectMapper mapper() {
        return JSON;
    }

    /** {@code current} with the keys of {@code changes} set, and those sent as null removed. */
    static ObjectNode withChanges(ObjectNode current, ObjectNode changes) {
        ObjectNode result = current.deepCopy();
        changes.fields()
                .forEachRemaining(
                        field -> {
                            if (field.getValue().isNull()) {
                                result.remove(field.getKey());
                            } else {
                                result.set(field.getKey(), field.getValue());
                            }
                        });
        return result;
    }
}
