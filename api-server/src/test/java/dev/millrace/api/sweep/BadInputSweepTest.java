package dev.millrace.api.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.api.auth.AuthSettings;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionSpec;
import dev.millrace.crds.connection.ConnectionStream;
import dev.millrace.crds.connection.SyncMode;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.connector.ConnectorSpec;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.destination.DestinationSpec;
import dev.millrace.crds.destination.DestinationType;
import dev.millrace.crds.source.FileSource;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceSpec;
import dev.millrace.crds.source.SourceStatus;
import dev.millrace.crds.source.SourceType;
import dev.millrace.store.catalog.CatalogColumn;
import dev.millrace.store.catalog.CatalogSnapshot;
import dev.millrace.store.catalog.CatalogTable;
import dev.millrace.store.job.JobQuery;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobRequest;
import dev.millrace.store.job.JobStatus;
import dev.millrace.store.job.JobType;
import dev.millrace.store.log.LogEntry;
import dev.millrace.store.log.LogLevel;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation of {@code /api/openapi.json}, whatever families it describes when it runs, sent
 * malformed requests (missing, extra and mistyped fields, out-of-range numbers, huge and empty
 * strings, broken JSON, unknown and malformed ids, path tricks, mistyped query parameters) with a
 * valid token. None may answer 5xx; every 4xx must be in the family's error format and leave the
 * Kubernetes objects and the store as they were.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputSweepTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String TOKEN = "sweep-token-5b0d1c7e9f";
    private static final String NS = ApiTestCluster.NS;
    private static final String HUGE = "x".repeat(100 * 1024);
    private static final String LONG_SEGMENT = "s".repeat(1000);
    private static final String UNKNOWN_FIELD = "sweepUnknownField";

    @TempDir static Path tmp;
    private ApiTestCluster cluster;
    private JsonNode document;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<Integer, AtomicInteger> byStatus = new ConcurrentSkipListMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private Source source;
    private Destination destination;
    private Connection connection;
    private long jobId;
    private long connectorId;

    /** Held so the level sticks: the mock server logs every one of the thousands of requests. */
    private static final java.util.logging.Logger MOCK_LOG =
            java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    @BeforeAll
    void start() throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        cluster =
                new ApiTestCluster(
                        tmp,
                        AuthSettings.tokens(NS, "millrace-api-tokens"),
                        client ->
                                client.resource(
                                                new SecretBuilder()
                                                        .withNewMetadata()
                                                        .withName("millrace-api-tokens")
                                                        .withNamespace(NS)
                                                        .endMetadata()
                                                        .withStringData(Map.of("sweep", TOKEN))
                                                        .build())
                                        .create());
        cluster.withBearerToken(TOKEN);
        seed();
        HttpResponse<String> response = cluster.get("/api/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        document = JSON.readTree(response.body());
    }

    @AfterAll
    void stop() {
        System.out.println(
                "Bad-input sweep: "
                        + sent.get()
                        + " requests to "
                        + (document == null ? 0 : operations().count())
                        + " operations; by status "
                        + byStatus);
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A Source, a Destination, a Connection, finished and running jobs, and their logs. */
    private void seed() {
        Source s = new Source();
        s.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace(NS).build());
        s.setSpec(new SourceSpec());
        s.getSpec().displayName = "Orders";
        s.getSpec().type = SourceType.CSV;
        s.getSpec().files = new FileSource();
        s.getSpec().files.directory = "orders";
        source = cluster.client.resource(s).create();
        SourceStatus status = new SourceStatus();
        status.status = SourceStatus.Phase.SYNCED;
        status.lastSync = "2026-11-20T08:00:00Z";
        status.rowCount = 3871L;
        status.tables = List.of(new SourceStatus.SourceTable("orders", "raw_orders", 3871L));
        source.setStatus(status);
        source = cluster.client.resource(source).updateStatus();

        Destination d = new Destination();
        d.setMetadata(new ObjectMetaBuilder().withName("warehouse").withNamespace(NS).build());
        d.setSpec(new DestinationSpec());
        d.getSpec().type = DestinationType.DUCKDB;
        destination = cluster.client.resource(d).create();

        Connection c = new Connection();
        c.setMetadata(
                new ObjectMetaBuilder().withName("orders-to-warehouse").withNamespace(NS).build());
        c.setSpec(new ConnectionSpec());
        c.getSpec().sourceRef = ObjectRef.to("orders");
        c.getSpec().destinationRef = ObjectRef.to("warehouse");
        ConnectionStream orders = new ConnectionStream();
        orders.name = "orders";
        orders.syncMode = SyncMode.INCREMENTAL_APPEND;
        orders.cursorField = "updated_at";
        orders.primaryKey = List.of("id");
        c.getSpec().streams = List.of(orders);
        connection = cluster.client.resource(c).create();

        // A Model under the name the sweep fills into path parameters it has no fixture for, so
        // that the dbt run endpoint's query parameters are checked rather than answered 404.
        dev.millrace.crds.model.Model m = new dev.millrace.crds.model.Model();
        m.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace(NS).build());
        m.setSpec(new dev.millrace.crds.model.ModelSpec());
        m.getSpec().sql = "select * from raw_orders.orders";
        m.getSpec().destinationRef = ObjectRef.to("warehouse");
        cluster.client.resource(m).create();
        // A Connector with its store id and a stored catalog, for the connector family.
        Connector k = new Connector();
        k.setMetadata(new ObjectMetaBuilder().withName("crm-db").withNamespace(NS).build());
        k.setSpec(new ConnectorSpec());
        k.getSpec().type = ConnectorSpec.ConnectorType.POSTGRES;
        k.getSpec().host = "crm.example.com";
        Connector connector = cluster.client.resource(k).create();
        String connectorUid = connector.getMetadata().getUid();
        connectorId = cluster.store.idFor("Connector", NS, "crm-db", connectorUid);
        cluster.store
                .connectorCatalogs()
                .replace(
                        connectorUid,
                        new CatalogSnapshot(
                                Instant.parse("2026-11-20T08:00:00Z"),
                                List.of(new CatalogSnapshot.SchemaName("crm", "public")),
                                List.of(
                                        new CatalogTable(
                                                "crm",
                                                "public",
                                                "orders",
                                                "TABLE",
                                                10L,
                                                8192L,
                                                List.of(
                                                        new CatalogColumn(
                                                                "id", 1, "int4", false, 1))))));

        seedMonitoring();

        String uid = connection.getMetadata().getUid();
        Instant t = Instant.parse("2026-11-20T08:00:00Z");
        for (int i = 1; i <= 3; i++) {
            JobRecord job =
                    cluster.store.allocateJob(
                            new JobRequest(
                                    NS,
                                    "orders-to-warehouse",
                                    uid,
                                    "orders",
                                    "manual:seed-" + i,
                                    JobType.SYNC,
                                    false));
            jobId = job.id();
            cluster.store.appendLog(
                    new LogEntry(t, NS, "orders", jobId, LogLevel.INFO, "Starting sync " + i));
            if (i < 3) {
                cluster.store.markRunning(jobId, t);
                cluster.store.complete(
                        jobId, JobStatus.SUCCEEDED, t.plusSeconds(5), 1000L * i, 0, null, null);
                cluster.store.appendLog(
                        new LogEntry(
                                t.plusSeconds(5),
                                NS,
                                "orders",
                                jobId,
                                LogLevel.SUCCESS,
                                "Sync completed: " + 1000 * i + " rows"));
            }
            cluster.client
                    .resource(
                            new JobBuilder()
                                    .withNewMetadata()
                                    .withName("orders-to-warehouse-" + jobId)
                                    .withNamespace(NS)
                                    .addToLabels("millrace.dev/job-id", "" + jobId)
                                    .endMetadata()
                                    .withNewSpec()
                                    .withNewTemplate()
                                    .withNewSpec()
                                    .addNewContainer()
                                    .withName("sync")
                                    .withImage("millrace:test")
                                    .endContainer()
                                    .withRestartPolicy("Never")
                                    .endSpec()
                                    .endTemplate()
                                    .endSpec()
                                    .build())
                    .create();
            t = t.plusSeconds(3600);
        }
    }

    /**
     * For the monitoring family, through its own API: pipeline 1 (with its type), a running
     * execution 1, address type and address 1, and anomaly rule 1, the ids the sweep fills in.
     */
    private void seedMonitoring() {
        try {
            for (String[] request :
                    new String[][] {
                        {"/pipeline", "{\"name\": \"sweep\", \"pipeline_type_name\": \"sweep\"}"},
                        {
                            "/start_pipeline_execution",
                            "{\"pipeline_id\": 1, \"start_date\": \"2023-12-31T00:00:00Z\"}"
                        },
                        {"/address_type", "{\"name\": \"postgres\", \"group_name\": \"database\"}"},
                        {
                            "/address",
                            "{\"name\": \"crm.public.orders\", \"address_type_name\":"
                                    + " \"postgres\", \"address_type_group_name\": \"database\"}"
                        },
                        {
                            "/anomaly_detection_rule",
                            "{\"pipeline_id\": 1, \"metric_field\": \"total_rows\"}"
                        }
                    }) {
                HttpResponse<String> response = cluster.post(request[0], request[1]);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the operations and their malformed requests ---------------------------------------

    record Operation(String method, String path, JsonNode operation, JsonNode pathItem) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    record BadRequest(String method, String path, String body, String what) {
        @Override
        public String toString() {
            String shown =
                    body == null ? "" : body.length() > 200 ? body.substring(0, 200) + "…" : body;
            return method + " " + path + (body == null ? "" : " body=" + shown) + " (" + what + ")";
        }
    }

    Stream<Operation> operations() {
        List<Operation> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : List.of("get", "post", "put", "patch", "delete")) {
                JsonNode op = path.getValue().get(method);
                if (op != null) {
                    ops.add(
                            new Operation(
                                    method.toUpperCase(), path.getKey(), op, path.getValue()));
                }
            }
        }
        // Deletes last: one that a malformed request does not stop must not empty the fixture
        // early.
        return ops.stream()
                .sorted(
                        (a, b) ->
                                Boolean.compare(
                                        a.method().equals("DELETE"), b.method().equals("DELETE")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void malformedRequestsAreRejectedCleanly(Operation op) throws Exception {
        List<String> problems = new ArrayList<>();
        Snapshot before = snapshot();
        for (BadRequest request : badRequests(op)) {
            HttpResponse<String> response = send(request);
            sent.incrementAndGet();
            int status = response.statusCode();
            byStatus.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
            if (status >= 500 && !documents(op, status)) {
                problems.add(status + " for " + request + ": " + abbreviate(response.body()));
                continue;
            }
            if (status < 400) {
                // Accepted (the input was not bad enough): what it changed is the new baseline.
                before = snapshot();
                continue;
            }
            String format = errorFormatProblem(request.path(), response);
            if (format != null) {
                problems.add(
                        status
                                + " not in the family's error format ("
                                + format
                                + ") for "
                                + request
                                + ": "
                                + abbreviate(response.body()));
            }
            Snapshot after = snapshot();
            if (!after.equals(before)) {
                problems.add(
                        status
                                + " but state changed for "
                                + request
                                + ": "
                                + before.difference(after));
                before = after;
            }
        }
        assertThat(problems).as(op.toString()).isEmpty();
    }

    /**
     * Whether the operation documents {@code status}: a proxy answering the 502 its reference
     * specifies for an unavailable upstream is behaving, a 500 never is.
     */
    private static boolean documents(Operation op, int status) {
        return status != 500 && op.operation().path("responses").has(Integer.toString(status));
    }

    private List<BadRequest> badRequests(Operation op) {
        List<BadRequest> requests = new ArrayList<>();
        List<JsonNode> parameters = parameters(op);
        String validPath = fill(op.path(), parameters, null, null);
        // Path parameters: unknown and malformed ids, encoded slashes, traversal, long segments.
        List<String> pathParams = new ArrayList<>();
        for (JsonNode p : parameters) {
            if ("path".equals(p.path("in").asText())) {
                pathParams.add(p.path("name").asText());
            }
        }
        List<String> badIds =
                List.of(
                        "does-not-exist",
                        "00000000-0000-0000-0000-000000000000",
                        "999999999999",
                        "-1",
                        "..%2F..%2Fapi%2Fstatus",
                        "a%2Fb",
                        "%2e%2e",
                        "%252e%252e%252f",
                        "%20",
                        LONG_SEGMENT,
                        "%E2%80%AE%F0%9F%92%A5");
        String body = validBody(op);
        for (String name : pathParams) {
            for (String bad : badIds) {
                requests.add(
                        new BadRequest(
                                op.method(),
                                fill(op.path(), parameters, name, bad),
                                body,
                                "path parameter " + name));
            }
        }
        if (pathParams.isEmpty()) {
            for (String trick :
                    List.of("/..%2F", "%2F..%2Fstatus", "/" + LONG_SEGMENT, "/%2e%2e/%2e%2e")) {
                requests.add(new BadRequest(op.method(), op.path() + trick, body, "path trick"));
            }
        }
        if (op.method().equals("DELETE")) {
            return requests;
        }
        // Query parameters of the wrong type or out of range.
        for (JsonNode p : parameters) {
            if (!"query".equals(p.path("in").asText())) {
                continue;
            }
            String name = p.path("name").asText();
            JsonNode schema = resolve(p.path("schema"));
            List<String> values =
                    new ArrayList<>(
                            List.of("abc", "1.5", "", "%00", "true", "[]", "s".repeat(2000)));
            if (schema.has("minimum")) {
                values.add(outside(schema.get("minimum"), -1));
            }
            if (schema.has("maximum")) {
                values.add(outside(schema.get("maximum"), 1));
            }
            values.add("99999999999999999999");
            for (String v : values) {
                requests.add(
                        new BadRequest(
                                op.method(),
                                validPath + "?" + name + "=" + v,
                                body,
                                "query parameter " + name));
            }
        }
        // Bodies.
        JsonNode schema = requestSchema(op);
        if (schema != null) {
            for (String broken :
                    List.of(
                            "{",
                            "{\"a\":}",
                            "nul",
                            "[1,",
                            "{\"a\" 1}",
                            "[]",
                            "42",
                            "\"x\"",
                            "null",
                            "")) {
                requests.add(
                        new BadRequest(
                                op.method(), validPath, broken, "broken or non-object JSON"));
            }
            JsonNode valid = example(schema, 0);
            if (valid instanceof ObjectNode object) {
                for (String required : iterable(schema.path("required"))) {
                    ObjectNode copy = object.deepCopy();
                    copy.remove(required);
                    requests.add(
                            new BadRequest(
                                    op.method(),
                                    validPath,
                                    copy.toString(),
                                    "missing " + required));
                }
                ObjectNode extra = object.deepCopy();
                extra.put(UNKNOWN_FIELD, 1);
                requests.add(
                        new BadRequest(op.method(), validPath, extra.toString(), "extra field"));
                for (Iterator<Map.Entry<String, JsonNode>> it = properties(schema);
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> property = it.next();
                    String name = property.getKey();
                    JsonNode propertySchema = resolve(property.getValue());
                    for (Map.Entry<String, JsonNode> bad : badValues(propertySchema).entrySet()) {
                        ObjectNode copy = object.deepCopy();
                        copy.set(name, bad.getValue());
                        requests.add(
                                new BadRequest(
                                        op.method(),
                                        validPath,
                                        copy.toString(),
                                        name + ": " + bad.getKey()));
                    }
                }
            }
        }
        return requests;
    }

    private Map<String, JsonNode> badValues(JsonNode schema) {
        Map<String, JsonNode> values = new TreeMap<>();
        String type = schema.path("type").asText("");
        switch (type) {
            case "string" -> {
                values.put("wrong type (number)", NODES.numberNode(12345));
                values.put("empty string", NODES.textNode(""));
                values.put("100 KB string", NODES.textNode(HUGE));
            }
            case "integer", "number" -> {
                values.put("wrong type (string)", NODES.textNode("not-a-number"));
                values.put("fraction", NODES.numberNode(1.5));
                if (schema.has("minimum")) {
                    values.put(
                            "below minimum", NODES.numberNode(schema.get("minimum").asLong() - 1));
                }
                if (schema.has("maximum")) {
                    values.put(
                            "above maximum", NODES.numberNode(schema.get("maximum").asLong() + 1));
                }
                values.put(
                        "huge",
                        NODES.numberNode(new java.math.BigInteger("99999999999999999999999")));
            }
            case "boolean" -> values.put("wrong type (string)", NODES.textNode("yes"));
            case "array" -> {
                values.put("wrong type (string)", NODES.textNode("x"));
                values.put("array of nulls", NODES.arrayNode().add(NODES.nullNode()));
            }
            default -> {
                values.put("wrong type (string)", NODES.textNode("x"));
                values.put("wrong type (array)", NODES.arrayNode().add(1));
            }
        }
        values.put("null", NODES.nullNode());
        return values;
    }

    private static String outside(JsonNode bound, int direction) {
        return bound.isIntegralNumber()
                ? Long.toString(bound.asLong() + direction)
                : Double.toString(bound.asDouble() + direction);
    }

    /** A plausible value for a schema, with ids of the fixture where a property names one. */
    private JsonNode example(JsonNode schema, int depth) {
        schema = resolve(schema);
        if (depth > 6) {
            return NODES.nullNode();
        }
        if (schema.has("example")) {
            return schema.get("example");
        }
        for (String choice : List.of("oneOf", "anyOf", "allOf")) {
            if (schema.path(choice).isArray() && schema.path(choice).size() > 0) {
                return example(schema.path(choice).get(0), depth + 1);
            }
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        String type = schema.path("type").asText(schema.has("properties") ? "object" : "");
        switch (type) {
            case "object" -> {
                ObjectNode object = NODES.objectNode();
                for (Iterator<Map.Entry<String, JsonNode>> it = properties(schema);
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> p = it.next();
                    JsonNode value = idFor(p.getKey());
                    object.set(
                            p.getKey(), value != null ? value : example(p.getValue(), depth + 1));
                }
                return object;
            }
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                array.add(example(schema.path("items"), depth + 1));
                return array;
            }
            case "integer", "number" -> {
                return NODES.numberNode(schema.has("minimum") ? schema.get("minimum").asLong() : 1);
            }
            case "boolean" -> {
                return NODES.booleanNode(false);
            }
            case "string" -> {
                return NODES.textNode(
                        "date".equals(schema.path("format").asText())
                                ? "2024-01-01"
                                : "date-time".equals(schema.path("format").asText())
                                        ? "2024-01-01T00:00:00Z"
                                        : "sweep");
            }
            default -> {
                return NODES.nullNode();
            }
        }
    }

    private JsonNode idFor(String property) {
        String value = validId(property);
        return value == null ? null : NODES.textNode(value);
    }

    /** The fixture's id for a parameter or property name, or null when it names no object. */
    private String validId(String name) {
        String n = name.toLowerCase();
        boolean id = n.endsWith("id") || n.endsWith("_id");
        if (n.contains("workspace") && id) {
            return cluster.client.namespaces().withName(NS).get().getMetadata().getUid();
        }
        if (n.equals("connectorid")) {
            return Long.toString(connectorId);
        }
        // The connector family's fields (connectorMaxConnections) name no Connection.
        if (n.startsWith("connector")) {
            return null;
        }
        if (n.contains("job")) {
            return Long.toString(jobId);
        }
        for (HasMetadata object : List.of(source, destination, connection)) {
            if (n.contains(object.getKind().toLowerCase())) {
                return id ? object.getMetadata().getUid() : object.getMetadata().getName();
            }
        }
        return null;
    }

    private String fill(
            String template, List<JsonNode> parameters, String badName, String badValue) {
        String path = template;
        for (JsonNode p : parameters) {
            if (!"path".equals(p.path("in").asText())) {
                continue;
            }
            String name = p.path("name").asText();
            String value = name.equals(badName) ? badValue : validId(name);
            if (value == null) {
                JsonNode schema = resolve(p.path("schema"));
                value = schema.path("type").asText().equals("integer") ? "1" : "orders";
            }
            path = path.replace("{" + name + "}", value);
        }
        return path;
    }

    private List<JsonNode> parameters(Operation op) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode p : op.pathItem().path("parameters")) {
            all.add(resolve(p));
        }
        for (JsonNode p : op.operation().path("parameters")) {
            all.add(resolve(p));
        }
        return all;
    }

    private JsonNode requestSchema(Operation op) {
        JsonNode body = resolve(op.operation().path("requestBody"));
        JsonNode schema = body.path("content").path("application/json").path("schema");
        return schema.isMissingNode() ? null : resolve(schema);
    }

    private String validBody(Operation op) {
        JsonNode schema = requestSchema(op);
        return schema == null ? null : example(schema, 0).toString();
    }

    private Iterator<Map.Entry<String, JsonNode>> properties(JsonNode schema) {
        return resolve(schema).path("properties").fields();
    }

    private JsonNode resolve(JsonNode node) {
        int hops = 0;
        while (node != null && node.has("$ref") && hops++ < 20) {
            String ref = node.get("$ref").asText();
            node = document.at(ref.substring(1));
        }
        return node == null ? NODES.missingNode() : node;
    }

    private static Iterable<String> iterable(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    // ---- sending and checking ----------------------------------------------------------------

    private HttpResponse<String> send(BadRequest request) throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(cluster.server.baseUrl() + request.path()))
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .method(
                                request.method(),
                                request.body() == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(request.body()));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Why the body is not the error format of the path's family, or null if it is. */
    private static String errorFormatProblem(String path, HttpResponse<String> response) {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (Exception e) {
            return "not JSON";
        }
        if (body == null || !body.isObject()) {
            return "not a JSON object";
        }
        if (path.startsWith("/api/public/")) {
            return body.path("error").isTextual() && body.path("message").isTextual()
                    ? null
                    : "expected {error, message}";
        }
        if (path.startsWith("/api/connector")) {
            return body.path("error").isTextual()
                            && body.path("message").isTextual()
                            && body.path("status").isInt()
                    ? null
                    : "expected {error, message, status}";
        }
        return body.has("detail") ? null : "expected {detail}";
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    /** resourceVersions of every Millrace object, Secret and Job of the namespace; store counts. */
    record Snapshot(Map<String, String> versions, long jobs, long logs, String monitoring) {
        String difference(Snapshot after) {
            List<String> changes = new ArrayList<>();
            after.versions.forEach(
                    (k, v) -> {
                        if (!v.equals(versions.get(k))) {
                            changes.add(k + (versions.containsKey(k) ? " changed" : " created"));
                        }
                    });
            versions.keySet().stream()
                    .filter(k -> !after.versions.containsKey(k))
                    .forEach(k -> changes.add(k + " deleted"));
            if (jobs != after.jobs) {
                changes.add("jobs " + jobs + " → " + after.jobs);
            }
            if (logs != after.logs) {
                changes.add("logs " + logs + " → " + after.logs);
            }
            if (!monitoring.equals(after.monitoring)) {
                changes.add("monitoring history " + monitoring + " → " + after.monitoring);
            }
            return String.join(", ", changes);
        }
    }

    private Snapshot snapshot() {
        Map<String, String> versions = new TreeMap<>();
        for (String kind :
                List.of(
                        "Connector",
                        "Source",
                        "Destination",
                        "Connection",
                        "PipelineType",
                        "Pipeline",
                        "AnomalyRule",
                        "Model")) {
            for (GenericKubernetesResource r :
                    cluster.client
                            .genericKubernetesResources("millrace.dev/v1alpha1", kind)
                            .inNamespace(NS)
                            .list()
                            .getItems()) {
                versions.put(
                        kind + "/" + r.getMetadata().getName(),
                        r.getMetadata().getResourceVersion());
            }
        }
        cluster.client
                .secrets()
                .inNamespace(NS)
                .list()
                .getItems()
                .forEach(
                        s ->
                                versions.put(
                                        "Secret/" + s.getMetadata().getName(),
                                        s.getMetadata().getResourceVersion()));
        cluster.client
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .list()
                .getItems()
                .forEach(
                        j ->
                                versions.put(
                                        "Job/" + j.getMetadata().getName(),
                                        j.getMetadata().getResourceVersion()));
        return new Snapshot(
                versions,
                cluster.store.countJobs(JobQuery.all()),
                cluster.store.logs(NS, null, Integer.MAX_VALUE).size(),
                monitoringHistory());
    }

    /** The monitoring family's store history: executions, addresses, types, edges, anomalies. */
    private String monitoringHistory() {
        List<String> parts = new ArrayList<>();
        for (var e : cluster.store.executions().ofPipeline(1, 1000, 0)) {
            parts.add("execution " + e.id() + " " + e.status() + " " + e.anomalyFlags());
        }
        cluster.store.lineage().types(NS).forEach(t -> parts.add(t.toString()));
        cluster.store.lineage().addresses(NS).forEach(a -> parts.add(a.toString()));
        parts.add("edges " + cluster.store.lineage().edgesOf(1));
        parts.add("anomalies " + cluster.store.anomalies().countForRule(1));
        return String.join("; ", parts);
    }
}
