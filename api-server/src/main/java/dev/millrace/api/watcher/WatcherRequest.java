package dev.millrace.api.watcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.store.check.DatePart;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Watcher request body, read field by field with the reference's types and ranges. Strings are
 * trimmed and lower-cased as the reference system does, except watermarks, which are kept as sent.
 * Fields the family does not know are ignored (as the reference's models do); a known field of the
 * wrong type or out of range is a 422 naming it. Absent and JSON null both mean "not sent".
 */
final class WatcherRequest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_NAME = 150;
    static final int MAX_WATERMARK = 50;
    static final int MAX_PART = 50;

    private final ObjectNode body;

    private WatcherRequest(ObjectNode body) {
        this.body = body;
    }

    static WatcherRequest parse(String text) {
        JsonNode node;
        try {
            node = text == null || text.isBlank() ? null : JSON.readTree(text);
        } catch (Exception e) {
            throw WatcherApiException.invalid(null, "the body is not valid JSON");
        }
        if (!(node instanceof ObjectNode object)) {
            throw WatcherApiException.invalid(null, "the body must be a JSON object");
        }
        return new WatcherRequest(object);
    }

    /** An empty body is allowed (endpoints whose fields all have defaults). */
    static WatcherRequest parseOptional(String text) {
        return text == null || text.isBlank()
                ? new WatcherRequest(JSON.createObjectNode())
                : parse(text);
    }

    boolean has(String field) {
        JsonNode value = body.get(field);
        return value != null && !value.isNull();
    }

    private JsonNode value(String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** A trimmed, lower-cased name of 1–150 characters, or null when not sent. */
    String name(String field) {
        return string(field, 1, MAX_NAME);
    }

    String requiredName(String field) {
        return required(field, name(field));
    }

    /** A trimmed, lower-cased string of at most {@code max} characters, or null. */
    String part(String field) {
        return string(field, 0, MAX_PART);
    }

    private String string(String field, int min, int max) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw WatcherApiException.invalid(field, "must be a string");
        }
        String s = value.asText().trim().toLowerCase(Locale.ROOT);
        if (s.length() < min || s.length() > max) {
            throw WatcherApiException.invalid(
                    field, "must be " + (min > 0 ? min + "–" : "at most ") + max + " characters");
        }
        return s;
    }

    /**
     * A watermark: a string, integer, date or date-time, kept as sent (numbers as their digits), at
     * most 50 characters.
     */
    String watermark(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual() && !value.isIntegralNumber()) {
            throw WatcherApiException.invalid(
                    field, "must be a string, an integer, a date or a date-time");
        }
        String s = value.asText();
        if (s.length() > MAX_WATERMARK) {
            throw WatcherApiException.invalid(
                    field, "must be at most " + MAX_WATERMARK + " characters");
        }
        return s;
    }

    Long integer(String field, long min, long max) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        boolean integral =
                value.isIntegralNumber()
                        || (value.isFloatingPointNumber()
                                && value.asDouble() == Math.rint(value.asDouble()));
        if (!integral || !value.canConvertToLong()) {
            throw WatcherApiException.invalid(field, "must be an integer");
        }
        long n = value.asLong();
        if (n < min || n > max) {
            throw WatcherApiException.invalid(field, range(min, max));
        }
        return n;
    }

    long requiredInteger(String field, long min, long max) {
        return required(field, integer(field, min, max));
    }

    /** An id: an integer from 1. */
    Long id(String field) {
        return integer(field, 1, Long.MAX_VALUE);
    }

    long requiredId(String field) {
        return required(field, id(field));
    }

    Double number(String field, double min, double max) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw WatcherApiException.invalid(field, "must be a number");
        }
        double d = value.asDouble();
        if (!(d >= min && d <= max)) {
            throw WatcherApiException.invalid(field, "must be " + min + "–" + max);
        }
        return d;
    }

    Boolean bool(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw WatcherApiException.invalid(field, "must be true or false");
        }
        return value.asBoolean();
    }

    /** A JSON object (metadata), as JSON text; null when not sent. */
    JsonNode object(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            throw WatcherApiException.invalid(field, "must be a JSON object");
        }
        return value;
    }

    /** A date part: minute, hour, day, week, month or year. */
    DatePart datePart(String field) {
        String s = string(field, 1, 10);
        if (s == null) {
            return null;
        }
        try {
            return DatePart.fromWireName(s);
        } catch (IllegalArgumentException e) {
            throw WatcherApiException.invalid(
                    field, "must be one of minute, hour, day, week, month, year");
        }
    }

    /** An ISO 8601 date-time (no offset means UTC) or date (midnight UTC); null when not sent. */
    Instant timestamp(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw WatcherApiException.invalid(field, "must be an ISO 8601 date-time");
        }
        String s = value.asText().trim();
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // try the forms without an offset
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try a date
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw WatcherApiException.invalid(field, "must be an ISO 8601 date-time");
        }
    }

    Instant requiredTimestamp(String field) {
        return required(field, timestamp(field));
    }

    /** A list of trimmed, lower-cased strings of 1–150 characters. */
    List<String> names(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw WatcherApiException.invalid(field, "must be a list of strings");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw WatcherApiException.invalid(field, "must be a list of strings");
            }
            String s = item.asText().trim().toLowerCase(Locale.ROOT);
            if (s.isEmpty() || s.length() > MAX_NAME) {
                throw WatcherApiException.invalid(field, "items must be 1–150 characters");
            }
            names.add(s);
        }
        return names;
    }

    /** A list of objects, each read as a request of its own. */
    List<WatcherRequest> objects(String field) {
        JsonNode value = value(field);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw WatcherApiException.invalid(field, "must be a list of objects");
        }
        List<WatcherRequest> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!(item instanceof ObjectNode object)) {
                throw WatcherApiException.invalid(field, "must be a list of objects");
            }
            items.add(new WatcherRequest(object));
        }
        return items;
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw WatcherApiException.invalid(field, "field required");
        }
        return value;
    }

    private static String range(long min, long max) {
        if (max == Long.MAX_VALUE) {
            return "must be at least " + min;
        }
        return "must be " + min + "–" + max;
    }

    /** A path parameter id: an integer from 1, else 422 as the reference's path validation. */
    static long pathId(String name, String value) {
        try {
            long id = Long.parseLong(value);
            if (id >= 1) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw WatcherApiException.invalid(name, "must be a positive integer");
    }
}
