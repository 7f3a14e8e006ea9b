package dev.millrace.api.connector;

import static dev.millrace.api.connector.ConnectorApiFixture.MYSQL;
import static dev.millrace.api.connector.ConnectorApiFixture.NS;
import static dev.millrace.api.connector.ConnectorApiFixture.assertError;
import static dev.millrace.api.connector.ConnectorApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.connector.ConnectorStatus;
import dev.millrace.store.catalog.CatalogColumn;
import dev.millrace.store.catalog.CatalogSnapshot;
import dev.millrace.store.catalog.CatalogTable;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection tests, metadata refreshes and catalog listings. No operator runs here, so a stand-in
 * does what ConnectorReconciler does on {@code millrace.dev/test}: it writes status.lastTest and
 * the Ready condition through the status subresource, then removes the annotation it acted on.
 * Connectors whose username is {@code wrong} fail with an authentication error; those named "Silent
 * ..." are never answered.
 */
class ConnectorTestsAndCatalogApiTest {
    @TempDir static Path tmp;
    static ApiTestCluster cluster;
    static ConnectorApiFixture api;
    static ExecutorService operator;
    static Watch watch;

    @BeforeAll
    static void start() throws Exception {
        cluster = new ApiTestCluster(tmp);
        api = new ConnectorApiFixture(cluster);
        operator = Executors.newSingleThreadExecutor();
        watch =
                cluster.client
                        .resources(Connector.class)
                        .inNamespace(NS)
                        .watch(
                                new Watcher<>() {
                                    @Override
                                    public void eventReceived(Action action, Connector c) {
                                        String request = annotation(c, MillraceApi.TEST_ANNOTATION);
                                        if (request != null
                                                && !c.getSpec().displayName.startsWith("Silent")) {
                                            operator.submit(() -> answerTest(c, request));
                                        }
                                    }

                                    @Override
                                    public void onClose(WatcherException cause) {}
                                });
    }

    @AfterAll
    static void stop() {
        watch.close();
        operator.shutdownNow();
        cluster.close();
    }

    private static String annotation(Connector c, String key) {
        return c.getMetadata().getAnnotations() == null
                ? null
                : c.getMetadata().getAnnotations().get(key);
    }

    /** What the operator does on a test request (through the client, as the operator would). */
    private static void answerTest(Connector seen, String request) {
        Connector c = cluster.client.resource(seen).get();
        if (c == null || !request.equals(annotation(c, MillraceApi.TEST_ANNOTATION))) {
            return;
        }
        boolean ok = !"wrong".equals(c.getSpec().username);
        ConnectorStatus status = new ConnectorStatus();
        status.id =
                cluster.store.idFor(
                        "Connector", NS, c.getMetadata().getName(), c.getMetadata().getUid());
        status.lastTest = new ConnectorStatus.TestResult();
        status.lastTest.success = ok;
        status.lastTest.message = ok ? "connected" : "connection test failed";
        status.lastTest.error = ok ? null : "Access denied for user 'wrong'@'10.0.0.5'";
        status.lastTest.durationMs = 1200L;
        status.lastTest.testedAt = Instant.now().toString();
        Conditions.set(
                status.conditions,
                Conditions.READY,
                ok ? Conditions.TRUE : Conditions.FALSE,
                ok ? "Reachable" : "AuthenticationFailed",
                ok ? "connected" : status.lastTest.error,
                c.getMetadata().getGeneration(),
                Instant.now());
        c.setStatus(status);
        Connector written = cluster.client.resource(c).updateStatus();
        cluster.client
                .resource(written)
                .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"test\",\"path\":\"/metadata/annotations/millrace.dev~1test\","
                                + "\"value\":\""
                                + request
                                + "\"},{\"op\":\"remove\",\"path\":"
                                + "\"/metadata/annotations/millrace.dev~1test\"}]");
    }

    private static String named(String name) {
        return MYSQL.replace("Production MySQL", name);
    }

    @Test
    void aSuccessfulTestAnswersTheReferenceSuccessShape() throws Exception {
        long id = api.create(named("Tested MySQL"));

        var response = api.post("/api/connector/" + id + "/test", "{}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("message").asText()).isEqualTo("Connection test successful");
        assertThat(body.path("details").path("connectorType").asText()).isEqualTo("RDBMS");
        assertThat(body.path("details").path("testDuration").asText()).isEqualTo("1.2s");
        Connector after = api.connector(id);
        assertThat(after.getStatus().lastTest.success).isTrue();
        assertThat(annotation(after, MillraceApi.TEST_ANNOTATION)).isNull();
    }

    @Test
    void aFailedTestAnswersTheReferenceFailureShapeWithoutThePassword() throws Exception {
        long id = api.create(named("Denied MySQL").replace("databasin_user", "wrong"));

        var response = api.post("/api/connector/" + id + "/test", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).doesNotContain("secure_password");
        JsonNode body = json(response);
        assertThat(body.path("success").asBoolean()).isFalse();
        assertThat(body.path("status").asText()).isEqualTo("error");
        assertThat(body.path("message").asText())
                .isEqualTo("Connection failed: Access denied for user 'wrong'@'10.0.0.5'");
        assertThat(body.path("error").asText()).isEqualTo("Authentication failed");
    }

    @Test
    void aTestTheOperatorDoesNotAnswerInTimeIsPending() throws Exception {
        long id = api.create(named("Silent MySQL"));

        var response = api.post("/api/connector/" + id + "/test", "{}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json(response).path("status").asText()).isEqualTo("pending");
        assertThat(annotation(api.connector(id), MillraceApi.TEST_ANNOTATION)).isNotNull();
    }

    @Test
    void actionsWithABodyAreRefusedAndRequestNothing() throws Exception {
        long id = api.create(named("Quiet MySQL"));

        assertError(api.post("/api/connector/" + id + "/test", "{\"details\": true}"), 400);
        assertError(api.post("/api/connector/" + id + "/refresh", "[]"), 400);

        Connector after = api.connector(id);
        assertThat(annotation(after, MillraceApi.TEST_ANNOTATION)).isNull();
        assertThat(annotation(after, MillraceApi.REFRESH_ANNOTATION)).isNull();
    }

    @Test
    void refreshRequestsItAndAnswersTheStoredCounts() throws Exception {
        long id = api.create(named("Refreshed MySQL"));
        Connector connector = api.connector(id);
        cluster.store.connectorCatalogs().replace(connector.getMetadata().getUid(), analytics());

        var response = api.post("/api/connector/" + id + "/refresh", "{}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("message").asText()).isEqualTo("Metadata refresh initiated");
        assertThat(body.path("status").asText()).isEqualTo("success");
        assertThat(body.path("catalogCount").asLong()).isEqualTo(2);
        assertThat(body.path("schemaCount").asLong()).isEqualTo(3);
        assertThat(body.path("tableCount").asLong()).isEqualTo(2);
        assertThat(annotation(api.connector(id), MillraceApi.REFRESH_ANNOTATION)).isNotNull();

        long http =
                api.create(
                        "{\"connectorName\": \"Plain API\", \"connectorType\": \"API\","
                                + " \"connectorURL\": \"https://example.com\"}");
        assertError(api.post("/api/connector/" + http + "/refresh", "{}"), 400);
    }

    @Test
    void catalogsSchemasTablesAndColumnsAnswerTheReferenceShapes() throws Exception {
        long id = api.create(named("Catalogued MySQL"));
        cluster.store
                .connectorCatalogs()
                .replace(api.connector(id).getMetadata().getUid(), analytics());
        String base = "/api/connector/" + id;

        JsonNode catalogs = ok(api.get(base + "/catalogs"));
        assertThat(catalogs).hasSize(2);
        assertThat(catalogs.get(0).path("catalogName").asText()).isEqualTo("analytics_prod");
        assertThat(catalogs.get(0).has("description")).isTrue();
        assertThat(catalogs.get(1).path("catalogName").asText()).isEqualTo("sales_data");

        JsonNode schemas = ok(api.get(base + "/schemas?catalog=analytics_prod"));
        assertThat(schemas.findValuesAsText("schemaName")).containsExactly("public", "reporting");

        JsonNode tables = ok(api.get(base + "/tables?catalog=analytics_prod&schema=public"));
        assertThat(tables.findValuesAsText("tableName")).containsExactly("customers", "orders");
        assertThat(tables.get(0).path("tableType").asText()).isEqualTo("TABLE");
        assertThat(tables.get(0).path("rowCount").asLong()).isEqualTo(125000);
        assertThat(tables.get(0).path("sizeInBytes").asLong()).isEqualTo(52428800);

        JsonNode columns =
                ok(
                        api.get(
                                base
                                        + "/columns?catalog=analytics_prod&schema=public"
                                        + "&table=customers"));
        assertThat(columns).hasSize(2);
        assertThat(columns.get(0).path("columnName").asText()).isEqualTo("customer_id");
        assertThat(columns.get(0).path("dataType").asText()).isEqualTo("INT");
        assertThat(columns.get(0).path("isNullable").asBoolean()).isFalse();
        assertThat(columns.get(0).path("isPrimaryKey").asBoolean()).isTrue();
        assertThat(columns.get(1).path("columnName").asText()).isEqualTo("email");
        assertThat(columns.get(1).path("dataType").asText()).isEqualTo("VARCHAR(255)");
        assertThat(columns.get(1).path("isPrimaryKey").asBoolean()).isFalse();

        JsonNode page =
                ok(api.get(base + "/tables?catalog=analytics_prod&schema=public&limit=1&offset=1"));
        assertThat(page.findValuesAsText("tableName")).containsExactly("orders");
    }

    @Test
    void catalogLevelsMayBeLeftOutOnlyWhereThereIsOneChoice() throws Exception {
        long id = api.create(named("Ambiguous MySQL"));
        cluster.store
                .connectorCatalogs()
                .replace(api.connector(id).getMetadata().getUid(), analytics());
        String base = "/api/connector/" + id;
        assertThat(assertError(api.get(base + "/schemas"), 400)).contains("catalog");
        assertThat(assertError(api.get(base + "/tables?catalog=analytics_prod"), 400))
                .contains("schema");
        assertError(api.get(base + "/schemas?catalog=nope"), 404);
        assertError(api.get(base + "/tables?catalog=analytics_prod&schema=nope"), 404);
        assertError(api.get(base + "/columns?catalog=analytics_prod&schema=public"), 400);
        assertError(
                api.get(base + "/columns?catalog=analytics_prod&schema=public&table=nope"), 404);
        assertError(api.get(base + "/tables?catalog=analytics_prod&schema=public&limit=0"), 400);
        assertError(api.get(base + "/catalogs?offset=-1"), 400);
        // One catalog ("" for SQLite) and one schema: nothing to choose.
        assertThat(
                        ok(api.get(base.replace("" + id, "" + sqlite()) + "/tables"))
                                .findValuesAsText("tableName"))
                .containsExactly("events");
    }

    @Test
    void aConnectorNeverRefreshedHasAnEmptyCatalog() throws Exception {
        long id = api.create(named("Fresh MySQL"));
        assertThat(ok(api.get("/api/connector/" + id + "/catalogs"))).isEmpty();
        assertThat(ok(api.get("/api/connector/" + id + "/tables"))).isEmpty();
    }

    private long sqlite() throws Exception {
        long id =
                api.create(
                        "{\"connectorName\": \"Events\", \"connectorType\": \"sqlite\","
                                + " \"connectorDatabaseName\": \"/data/events.db\"}");
        cluster.store
                .connectorCatalogs()
                .replace(
                        api.connector(id).getMetadata().getUid(),
                        new CatalogSnapshot(
                                Instant.parse("2026-11-20T08:00:00Z"),
                                List.of(new CatalogSnapshot.SchemaName("", "")),
                                List.of(
                                        new CatalogTable(
                                                "",
                                                "",
                                                "events",
                                                "TABLE",
                                                null,
                                                null,
                                                List.of(
                                                        new CatalogColumn(
                                                                "id", 1, "INTEGER", false, 1))))));
        return id;
    }

    private static JsonNode ok(java.net.http.HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** The reference's examples: two catalogs, three schemas, two tables with columns. */
    private static CatalogSnapshot analytics() {
        return new CatalogSnapshot(
                Instant.parse("2026-11-20T08:00:00Z"),
                List.of(
                        new CatalogSnapshot.SchemaName("analytics_prod", "public"),
                        new CatalogSnapshot.SchemaName("analytics_prod", "reporting"),
                        new CatalogSnapshot.SchemaName("sales_data", "public")),
                List.of(
                        new CatalogTable(
                                "analytics_prod",
                                "public",
                                "customers",
                                "TABLE",
                                125000L,
                                52428800L,
                                List.of(
                                        new CatalogColumn("customer_id", 1, "INT", false, 1),
                                        new CatalogColumn(
                                                "email", 2, "VARCHAR(255)", false, null))),
                        new CatalogTable(
                                "analytics_prod",
                                "public",
                                "orders",
                                "TABLE",
                                456789L,
                                209715200L,
                                List.of(new CatalogColumn("order_id", 1, "INT", false, 1)))));
    }
}
