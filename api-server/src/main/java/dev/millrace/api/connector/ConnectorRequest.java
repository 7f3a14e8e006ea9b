package dev.millrace.api.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A create or update body of the connector family, read and checked field by field in one place:
 * every field's type and range, the auth type codes, the label-valued ids. A field outside the
 * family's set is refused by name rather than ignored, so a script never believes a setting took
 * effect. Null means "not sent" (PUT keeps the current value).
 */
record ConnectorRequest(
        String name,
        String type,
        String engine,
        String host,
        Integer port,
        String database,
        String url,
        String username,
        String password,
        Integer authType,
        Long institutionId,
        String internalId,
        Long ownerId,
        Boolean active,
        Integer maxConnections) {

    static final ObjectMapper JSON = new ObjectMapper();

    static final String NAME = "connectorName";
    static final String TYPE = "connectorType";
    static final String ENGINE = "connectorEngine";
    static final String HOST = "connectorHost";
    static final String PORT = "connectorPort";
    static final String DATABASE = "connectorDatabaseName";
    static final String URL = "connectorURL";
    static final String USERNAME = "connectorUsername";
    static final String PASSWORD = "connectorPassword";
    static final String AUTH_TYPE = "connectorAuthType";
    static final String INSTITUTION_ID = "institutionID";
    static final String INTERNAL_ID = "internalID";
    static final String OWNER_ID = "ownerID";
    static final String ACTIVE = "active";
    static final String MAX_CONNECTIONS = "connectorMaxConnections";

    private static final Set<String> FIELDS =
            new TreeSet<>(
                    List.of(
                            NAME,
                            TYPE,
                            ENGINE,
                            HOST,
                            PORT,
                            DATABASE,
                            URL,
                            USERNAME,
                            PASSWORD,
                            AUTH_TYPE,
                            INSTITUTION_ID,
                            INTERNAL_ID,
                            OWNER_ID,
                            ACTIVE,
                            MAX_CONNECTIONS));

    /** Databasin's connectorAuthType codes and the Connector's authType for each. */
    static final Map<Integer, String> AUTH_TYPES =
            Map.of(2, "basic", 8, "api_key", 20, "bearer", 22, "none");

    /** The Connector types, and the Databasin category (connectorType) each is shown under. */
    static final Map<String, String> CATEGORIES =
            Map.of(
                    "postgres", "RDBMS",
                    "mysql", "RDBMS",
                    "mariadb", "RDBMS",
                    "sqlserver", "RDBMS",
                    "sqlite", "RDBMS",
                    "duckdb", "RDBMS",
                    "http", "API");

    /** Well-known ports, for an RDBMS connector sent (as in the reference) without an engine. */
    private static final Map<Integer, String> ENGINE_BY_PORT =
            Map.of(3306, "mysql", 5432, "postgres", 1433, "sqlserver");

    /** A Kubernetes label value: what institutionID and internalID are kept as. */
    private static final Pattern LABEL_VALUE =
            Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$");

    private static final Pattern DIGITS = Pattern.compile("^[0-9]{1,5}$");

    /** Reads and checks a body; {@code create} demands the fields a new connector needs. */
    static ConnectorRequest parse(String body, boolean create) {
        ObjectNode node = object(body);
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                unknown.add(field);
            }
        }
        if (!unknown.isEmpty()) {
            throw ConnectorApiException.badRequest(
                    "Unsupported field(s): "
                            + String.join(", ", unknown)
                            + "; supported: "
                            + String.join(", ", FIELDS));
        }
        ConnectorRequest request =
                new ConnectorRequest(
                        text(node, NAME, 1, 150),
                        text(node, TYPE, 1, 32),
                        text(node, ENGINE, 1, 32),
                        text(node, HOST, 1, 253),
                        port(node),
                        text(node, DATABASE, 1, 1024),
                        text(node, URL, 1, 2048),
                        text(node, USERNAME, 1, 256),
                        text(node, PASSWORD, 1, 4096),
                        authType(node),
                        integer(node, INSTITUTION_ID),
                        labelValue(node, INTERNAL_ID),
                        integer(node, OWNER_ID),
                        bool(node, ACTIVE),
                        range(node, MAX_CONNECTIONS, 1, 100));
        if (create) {
            if (request.name == null || request.name.isBlank()) {
                throw missing(NAME);
            }
            if (request.type == null) {
                throw missing(TYPE);
            }
        } else if (request.name != null && request.name.isBlank()) {
            throw ConnectorApiException.badRequest(NAME + " must not be blank");
        }
        if (request.authType != null && request.authType == 22 && request.password != null) {
            throw ConnectorApiException.badRequest(
                    PASSWORD + " is not used with " + AUTH_TYPE + " 22 (no authentication)");
        }
        return request;
    }

    /**
     * The Connector type the request names: {@code connectorEngine}, or {@code connectorType} when
     * it is an engine itself; an RDBMS without an engine is recognised by its well-known port. Null
     * when the request names none (an update keeping the type).
     */
    String resolveType(Integer currentPort) {
        String category = type == null ? null : type.toUpperCase(Locale.ROOT);
        String named = engine == null ? null : engine.toLowerCase(Locale.ROOT);
        if (named != null && !CATEGORIES.containsKey(named)) {
            throw ConnectorApiException.badRequest(
                    ENGINE + " '" + engine + "' is not supported; supported: " + engines());
        }
        if (category == null) {
            return named;
        }
        if (CATEGORIES.containsKey(category.toLowerCase(Locale.ROOT))) {
            String direct = category.toLowerCase(Locale.ROOT);
            if (named != null && !named.equals(direct)) {
                throw ConnectorApiException.badRequest(
                        TYPE + " '" + type + "' contradicts " + ENGINE + " '" + engine + "'");
            }
            return direct;
        }
        if (category.equals("API")) {
            if (named != null && !named.equals("http")) {
                throw ConnectorApiException.badRequest(
                        ENGINE + " of an API connector must be http, was '" + engine + "'");
            }
            return "http";
        }
        if (category.equals("RDBMS")) {
            if (named != null) {
                if (named.equals("http")) {
                    throw ConnectorApiException.badRequest(
                            ENGINE + " of an RDBMS connector cannot be http");
                }
                return named;
            }
            Integer p = port != null ? port : currentPort;
            String byPort = p == null ? null : ENGINE_BY_PORT.get(p);
            if (byPort == null) {
                throw ConnectorApiException.badRequest(
                        "Missing required field: "
                                + ENGINE
                                + " (which RDBMS: "
                                + engines()
                                + "); only ports 3306, 5432 and 1433 imply one");
            }
            return byPort;
        }
        throw ConnectorApiException.badRequest(
                TYPE + " '" + type + "' is not supported; supported: RDBMS, API, " + engines());
    }

    private static String engines() {
        return String.join(", ", new TreeSet<>(CATEGORIES.keySet()));
    }

    static ConnectorApiException missing(String field) {
        return ConnectorApiException.badRequest("Missing required field: " + field);
    }

    /** An action's body (test, refresh): nothing, or the reference's {@code {}}. */
    static void emptyObject(String body) {
        if (body == null || body.isBlank()) {
            return;
        }
        ObjectNode node = object(body);
        if (!node.isEmpty()) {
            throw ConnectorApiException.badRequest(
                    "This request takes no fields, was sent: "
                            + String.join(", ", (Iterable<String>) node::fieldNames));
        }
    }

    private static ObjectNode object(String body) {
        if (body == null || body.isBlank()) {
            throw ConnectorApiException.badRequest("Request body must be a JSON object");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (Exception e) {
            throw ConnectorApiException.badRequest("Request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ConnectorApiException.badRequest("Request body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static String text(ObjectNode node, String field, int min, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ConnectorApiException.badRequest(field + " must be a string");
        }
        String text = value.textValue();
        if (text.length() < min || text.length() > max) {
            throw ConnectorApiException.badRequest(
                    field + " must be " + min + " to " + max + " characters long");
        }
        if (text.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
            throw ConnectorApiException.badRequest(field + " must not contain control characters");
        }
        return text;
    }

    /** The port as the reference sends it (a string of digits), or as a JSON integer. */
    private static Integer port(ObjectNode node) {
        JsonNode value = node.get(PORT);
        if (value == null || value.isNull()) {
            return null;
        }
        int port;
        if (value.isTextual() && DIGITS.matcher(value.textValue()).matches()) {
            port = Integer.parseInt(value.textValue());
        } else if (value.isIntegralNumber() && value.canConvertToInt()) {
            port = value.intValue();
        } else {
            throw ConnectorApiException.badRequest(
                    PORT + " must be a port number (a string of digits), was " + value);
        }
        if (port < 1 || port > 65535) {
            throw ConnectorApiException.badRequest(PORT + " must be 1 to 65535, was " + port);
        }
        return port;
    }

    private static Integer authType(ObjectNode node) {
        JsonNode value = node.get(AUTH_TYPE);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()
                || !value.canConvertToInt()
                || !AUTH_TYPES.containsKey(value.intValue())) {
            throw ConnectorApiException.badRequest(
                    AUTH_TYPE
                            + " must be one of 2 (username and password), 8 (API key),"
                            + " 20 (bearer token) or 22 (none), was "
                            + value);
        }
        return value.intValue();
    }

    private static Long integer(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw ConnectorApiException.badRequest(
                    field + " must be a non-negative integer, was " + value);
        }
        return value.longValue();
    }

    private static Integer range(ObjectNode node, String field, int min, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()
                || !value.canConvertToInt()
                || value.intValue() < min
                || value.intValue() > max) {
            throw ConnectorApiException.badRequest(
                    field + " must be an integer from " + min + " to " + max + ", was " + value);
        }
        return value.intValue();
    }

    private static Boolean bool(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw ConnectorApiException.badRequest(field + " must be true or false");
        }
        return value.booleanValue();
    }

    private static String labelValue(ObjectNode node, String field) {
        String value = text(node, field, 1, 63);
        if (value != null && !LABEL_VALUE.matcher(value).matches()) {
            throw ConnectorApiException.badRequest(
                    field
                            + " must be letters, digits, '-', '_' or '.', starting and ending with"
                            + " a letter or digit");
        }
        return value;
    }

    /** A query parameter that is a non-negative integer (list filters), or null when absent. */
    static Long queryInteger(String value, String name) {
        if (value == null) {
            return null;
        }
        if (!value.matches("^[0-9]{1,18}$")) {
            throw ConnectorApiException.badRequest(
                    name + " must be a non-negative integer, was '" + value + "'");
        }
        return Long.parseLong(value);
    }

    /** A query parameter that is a label value (internalID), or null when absent. */
    static String queryLabelValue(String value, String name) {
        if (value == null) {
            return null;
        }
        if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
            throw ConnectorApiException.badRequest(
                    name + " must be 1 to 63 letters, digits, '-', '_' or '.'");
        }
        return value;
    }

    /** A catalog, schema or table name in a query, or null when absent. */
    static String queryName(String value, String name) {
        if (value == null) {
            return null;
        }
        if (value.length() > 1024 || value.chars().anyMatch(c -> c < 0x20)) {
            throw ConnectorApiException.badRequest(
                    name + " must be at most 1024 characters without control characters");
        }
        return value;
    }

    /** A paging parameter in {@code [min, max]}, or {@code fallback} when absent. */
    static int queryRange(String value, String name, int min, int max, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (!value.matches("^[0-9]{1,9}$")
                || Integer.parseInt(value) < min
                || Integer.parseInt(value) > max) {
            throw ConnectorApiException.badRequest(
                    name
                            + " must be an integer from "
                            + min
                            + " to "
                            + max
                            + ", was '"
                            + value
                            + "'");
        }
        return Integer.parseInt(value);
    }

    /** A path id: a positive integer as the store gives them. */
    static long id(String value) {
        if (value == null || !value.matches("^[0-9]{1,18}$") || Long.parseLong(value) < 1) {
            throw ConnectorApiException.badRequest(
                    "connectorID must be a positive integer, was '" + value + "'");
        }
        return Long.parseLong(value);
    }
}
