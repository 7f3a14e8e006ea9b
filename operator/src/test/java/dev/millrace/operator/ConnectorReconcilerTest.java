package dev.millrace.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.connector.ConnectorSpec;
import dev.millrace.crds.connector.ConnectorSpec.AuthType;
import dev.millrace.crds.connector.ConnectorSpec.ConnectorType;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.destination.DestinationSpec;
import dev.millrace.crds.destination.DestinationType;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceSpec;
import dev.millrace.crds.source.SourceType;
import dev.millrace.store.catalog.CatalogColumn;
import dev.millrace.store.catalog.ConnectorCatalogs;
import dev.millrace.store.catalog.TableSummary;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorReconcilerTest {
    private static final String NS = OperatorHarness.NS;
    private static final String PASSWORD = "Pg-s3cret-4711";
    private static final String WRONG_PASSWORD = "Wr0ng-pa55word-0815";
    private static final String REACHABLE = "Reachable";

    private static EmbeddedPostgres postgres;

    @TempDir Path tmp;
    private OperatorHarness cluster;

    @BeforeAll
    static void startPostgres() throws Exception {
        Path data = java.nio.file.Files.createTempDirectory("millrace-connector-pg");
        postgres = EmbeddedPostgres.builder().setDataDirectory(data).start();
        // Embedded PostgreSQL trusts every local login; a wrong password must fail as on a
        // real server, so every user but the admin logs in with a password over TCP.
        java.nio.file.Files.writeString(
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
        try (var shop =
                        DriverManager.getConnection(
                                postgres.getJdbcUrl("millrace", "shop"), "millrace", PASSWORD);
                Statement st = shop.createStatement()) {
            st.execute("CREATE SCHEMA sales");
            st.execute("CREATE SCHEMA inventory");
            st.execute(
                    "CREATE TABLE sales.orders (id bigint PRIMARY KEY, customer text,"
                            + " placed_at timestamptz NOT NULL)");
            st.execute(
                    "CREATE TABLE sales.order_lines (order_id bigint, line int, sku text,"
                            + " PRIMARY KEY (order_id, line))");
            st.execute("CREATE TABLE inventory.items (sku text PRIMARY KEY, stock int)");
            st.execute(
                    "INSERT INTO sales.orders SELECT g, 'c' || g, now()"
                            + " FROM generate_series(1, 500) g");
            st.execute("ANALYZE sales.orders");
            st.execute("CREATE VIEW sales.big_orders AS SELECT * FROM sales.orders");
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void start() throws Exception {
        cluster = OperatorHarness.started(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    // ---- PostgreSQL ----------------------------------------------------------------------

    @Test
    void postgresConnectorBecomesReachableAndItsCatalogIsBrowsableFromTheStore() {
        secret("pg-credentials", "password", PASSWORD);
        postgresConnector("shop-db", "pg-credentials");

        Connector ready = awaitConnector("shop-db", c -> refreshed(c) && reachable(c));

        assertThat(ready.getStatus().lastTest.success).isTrue();
        assertThat(ready.getStatus().lastTest.message).startsWith("connected to PostgreSQL");
        assertThat(ready.getStatus().lastTest.testedAt).isNotNull();
        assertThat(ready.getStatus().id).isPositive();
        assertThat(ready.getStatus().observedGeneration)
                .isEqualTo(ready.getMetadata().getGeneration());
        assertThat(Conditions.isTrue(ready.getStatus().conditions, Conditions.READY)).isTrue();
        assertThat(ready.getStatus().metadata.catalogs).isEqualTo(1);
        assertThat(ready.getStatus().metadata.schemas).isEqualTo(3); // public, sales, inventory
        assertThat(ready.getStatus().metadata.tables).isEqualTo(4); // 3 tables and a view
        assertThat(ready.getStatus().metadata.refreshedAt).isNotNull();

        String uid = ready.getMetadata().getUid();
        ConnectorCatalogs catalog = cluster.store.connectorCatalogs();
        assertThat(catalog.catalogs(uid, 10, 0)).containsExactly("shop");
        assertThat(catalog.schemas(uid, "shop", 10, 0))
                .containsExactly("inventory", "public", "sales");
        assertThat(catalog.tables(uid, "shop", "sales", 10, 0))
                .extracting(TableSummary::name, TableSummary::type, TableSummary::columnCount)
                .containsExactly(
                        tuple("big_orders", "VIEW", 3),
                        tuple("order_lines", "TABLE", 3),
                        tuple("orders", "TABLE", 3));
        TableSummary orders = catalog.tables(uid, "shop", "sales", 10, 2).get(0);
        assertThat(orders.rowCount()).isEqualTo(500);
        assertThat(orders.sizeBytes()).isPositive();
        assertThat(catalog.columns(uid, "shop", "sales", "orders", 10, 0))
                .containsExactly(
                        new CatalogColumn("id", 1, "int8", false, 1),
                        new CatalogColumn("customer", 2, "text", true, null),
                        new CatalogColumn("placed_at", 3, "timestamptz", false, null));
        assertThat(catalog.columns(uid, "shop", "sales", "order_lines", 10, 0))
                .extracting(CatalogColumn::name, CatalogColumn::primaryKeyOrdinal)
                .containsExactly(tuple("order_id", 1), tuple("line", 2), tuple("sku", null));
        assertThat(eventsOf("shop-db")).extracting(Event::getReason).contains("Reachable");
    }

    @Test
    void connectorWithWrongPasswordIsUnreachableAndNoMessageHoldsThePassword() {
        secret("pg-credentials", "password", WRONG_PASSWORD);
        postgresConnector("shop-db", "pg-credentials");

        Connector failed =
                awaitConnector("shop-db", c -> condition(c, REACHABLE, Conditions.FALSE));

        assertThat(failed.getStatus().lastTest.success).isFalse();
        assertThat(failed.getStatus().lastTest.error).contains("password authentication failed");
        assertThat(Conditions.find(failed.getStatus().conditions, Conditions.READY))
                .get()
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly(Conditions.FALSE, "ConnectionFailed");
        assertThat(Serialization.asJson(failed.getStatus())).doesNotContain(WRONG_PASSWORD);
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                eventsOf("shop-db").stream()
                                        .anyMatch(e -> "Unreachable".equals(e.getReason())));
        assertThat(Serialization.asJson(eventsOf("shop-db"))).doesNotContain(WRONG_PASSWORD);
        assertThat(cluster.store.connectorCatalogs().counts(failed.getMetadata().getUid()).tables())
                .isZero();
    }

    @Test
    void testAnnotationRerunsTheTestAndIsRemoved() {
        secret("pg-credentials", "password", WRONG_PASSWORD);
        postgresConnector("shop-db", "pg-credentials");
        awaitConnector("shop-db", c -> condition(c, REACHABLE, Conditions.FALSE));

        // Fixing the Secret changes nothing by itself; the test annotation makes it count.
        secret("pg-credentials", "password", PASSWORD);
        annotate("shop-db", MillraceApi.TEST_ANNOTATION, "retest-1");

        Connector fixed =
                awaitConnector(
                        "shop-db",
                        c -> reachable(c) && !hasAnnotation(c, MillraceApi.TEST_ANNOTATION));
        assertThat(fixed.getStatus().lastTest.success).isTrue();
        assertThat(eventsOf("shop-db"))
                .extracting(Event::getReason)
                .contains("Unreachable", "Reachable");
        // A test started by the annotation refreshes the catalog too.
        awaitConnector("shop-db", c -> c.getStatus().metadata != null);
    }

    @Test
    void refreshAnnotationPicksUpANewlyCreatedTable() throws SQLException {
        secret("pg-credentials", "password", PASSWORD);
        Connector created = postgresConnector("shop-db", "pg-credentials");
        awaitConnector("shop-db", ConnectorReconcilerTest::refreshed);
        String uid = created.getMetadata().getUid();
        try (var shop =
                        DriverManager.getConnection(
                                postgres.getJdbcUrl("millrace", "shop"), "millrace", PASSWORD);
                Statement st = shop.createStatement()) {
            st.execute("CREATE TABLE inventory.refunds (id int PRIMARY KEY, amount numeric)");
        }
        try {
            annotate("shop-db", MillraceApi.REFRESH_ANNOTATION, "refresh-1");

            Connector refreshed =
                    awaitConnector(
                            "shop-db",
                            c ->
                                    c.getStatus().metadata.tables == 5
                                            && !hasAnnotation(c, MillraceApi.REFRESH_ANNOTATION));
            assertThat(refreshed.getStatus().metadata.tables).isEqualTo(5);
            assertThat(cluster.store.connectorCatalogs().tables(uid, "shop", "inventory", 10, 0))
                    .extracting(TableSummary::name)
                    .containsExactly("items", "refunds");
            assertThat(
                            cluster.store
                                    .connectorCatalogs()
                                    .columns(uid, "shop", "inventory", "refunds", 10, 0))
                    .extracting(CatalogColumn::name, CatalogColumn::primaryKey)
                    .containsExactly(tuple("id", true), tuple("amount", false));
        } finally {
            try (var shop =
                            DriverManager.getConnection(
                                    postgres.getJdbcUrl("millrace", "shop"), "millrace", PASSWORD);
                    Statement st = shop.createStatement()) {
                st.execute("DROP TABLE inventory.refunds");
            }
        }
    }

    @Test
    void aDatabaseThatNeverAnswersFailsTheTestWithinItsTimeout() throws Exception {
        // Accepts TCP connections (the kernel's backlog) but never says a word: the driver would
        // wait for PostgreSQL's greeting forever without a timeout.
        try (var silent =
                new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            secret("pg-credentials", "password", PASSWORD);
            Connector c = postgresConnector("silent-db", "pg-credentials");
            c.getSpec().port = silent.getLocalPort();
            c.getSpec().host = "127.0.0.1";
            cluster.client.resource(c).update();

            Connector failed =
                    awaitConnector(
                            "silent-db",
                            x ->
                                    condition(x, REACHABLE, Conditions.FALSE)
                                            && x.getStatus().observedGeneration
                                                    == x.getMetadata().getGeneration()
                                            && x.getMetadata().getGeneration() > 1);

            // The harness sets a 5 s test timeout.
            assertThat(failed.getStatus().lastTest.durationMs).isBetween(4_000L, 8_000L);
            assertThat(failed.getStatus().lastTest.error).isNotBlank();
        }
    }

    // ---- files ---------------------------------------------------------------------------

    @Test
    void sqliteFileConnectorIsReachableAndBrowsable() throws Exception {
        try (var db =
                        DriverManager.getConnection(
                                "jdbc:sqlite:" + cluster.dataRoot.resolve("crm.sqlite"));
                Statement st = db.createStatement()) {
            st.execute(
                    "CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT NOT NULL,"
                            + " name TEXT)");
            st.execute(
                    "CREATE TABLE notes (contact_id INTEGER, n INTEGER, body TEXT,"
                            + " PRIMARY KEY (contact_id, n))");
            st.execute("INSERT INTO contacts (email) VALUES ('a@x'), ('b@x'), ('c@x')");
            st.execute("ANALYZE");
        }
        fileConnector("crm", ConnectorType.SQLITE, "crm.sqlite");

        Connector ready = awaitConnector("crm", c -> reachable(c) && refreshed(c));

        assertThat(ready.getStatus().lastTest.message).startsWith("connected to SQLite");
        assertThat(ready.getStatus().metadata.tables).isEqualTo(2);
        String uid = ready.getMetadata().getUid();
        ConnectorCatalogs catalog = cluster.store.connectorCatalogs();
        assertThat(catalog.catalogs(uid, 10, 0)).containsExactly("");
        assertThat(catalog.tables(uid, "", "", 10, 0))
                .extracting(TableSummary::name, TableSummary::rowCount)
                .containsExactly(tuple("contacts", 3L), tuple("notes", null));
        assertThat(catalog.columns(uid, "", "", "contacts", 10, 0))
                .extracting(CatalogColumn::name, CatalogColumn::nullable, CatalogColumn::primaryKey)
                .containsExactly(
                        tuple("id", true, true),
                        tuple("email", false, false),
                        tuple("name", true, false));
        assertThat(catalog.columns(uid, "", "", "notes", 10, 0))
                .extracting(CatalogColumn::primaryKeyOrdinal)
                .containsExactly(1, 2, null);
    }

    @Test
    void duckdbFileConnectorIsReachableAndBrowsable() throws Exception {
        try (var db =
                        DriverManager.getConnection(
                                "jdbc:duckdb:" + cluster.dataRoot.resolve("lake.duckdb"));
                Statement st = db.createStatement()) {
            st.execute("CREATE SCHEMA finance");
            st.execute(
                    "CREATE TABLE finance.invoices (id BIGINT PRIMARY KEY, total DECIMAL(12,2)"
                            + " NOT NULL, note VARCHAR)");
            st.execute("INSERT INTO finance.invoices SELECT range, 1, NULL FROM range(42)");
        }
        fileConnector("lake", ConnectorType.DUCKDB, "lake.duckdb");

        Connector ready = awaitConnector("lake", c -> reachable(c) && refreshed(c));

        assertThat(ready.getStatus().lastTest.message).startsWith("connected to DuckDB");
        String uid = ready.getMetadata().getUid();
        ConnectorCatalogs catalog = cluster.store.connectorCatalogs();
        assertThat(catalog.catalogs(uid, 10, 0)).containsExactly("lake");
        assertThat(catalog.schemas(uid, "lake", 10, 0)).containsExactly("finance", "main");
        assertThat(catalog.tables(uid, "lake", "finance", 10, 0))
                .extracting(TableSummary::name, TableSummary::rowCount)
                .containsExactly(tuple("invoices", 42L));
        assertThat(catalog.columns(uid, "lake", "finance", "invoices", 10, 0))
                .extracting(CatalogColumn::name, CatalogColumn::dataType, CatalogColumn::primaryKey)
                .containsExactly(
                        tuple("id", "BIGINT", true),
                        tuple("total", "DECIMAL(12,2)", false),
                        tuple("note", "VARCHAR", false));
    }

    @Test
    void aFailedRefreshKeepsThePreviousCatalogAndSaysWhy() throws Exception {
        Path file = cluster.dataRoot.resolve("moving.duckdb");
        try (var db = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement st = db.createStatement()) {
            st.execute("CREATE TABLE kept (id INTEGER PRIMARY KEY)");
        }
        Connector created = fileConnector("moving", ConnectorType.DUCKDB, "moving.duckdb");
        awaitConnector("moving", ConnectorReconcilerTest::refreshed);
        java.nio.file.Files.move(file, cluster.dataRoot.resolve("moved.duckdb"));

        annotate("moving", MillraceApi.REFRESH_ANNOTATION, "refresh-1");

        Connector failed =
                awaitConnector(
                        "moving",
                        c ->
                                condition(c, "CatalogRefreshed", Conditions.FALSE)
                                        && !hasAnnotation(c, MillraceApi.REFRESH_ANNOTATION));
        assertThat(Conditions.find(failed.getStatus().conditions, "CatalogRefreshed"))
                .get()
                .extracting(Condition::getReason)
                .isEqualTo("FileNotFound");
        assertThat(failed.getStatus().metadata.tables).isEqualTo(1);
        assertThat(
                        cluster.store
                                .connectorCatalogs()
                                .tables(created.getMetadata().getUid(), "moving", "main", 10, 0))
                .extracting(TableSummary::name)
                .containsExactly("kept");
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                eventsOf("moving").stream()
                                        .anyMatch(
                                                e -> "CatalogRefreshFailed".equals(e.getReason())));
    }

    @Test
    void aMissingDatabaseFileIsUnreachableAndNotCreated() {
        fileConnector("ghost", ConnectorType.SQLITE, "nowhere/ghost.sqlite");

        Connector failed = awaitConnector("ghost", c -> condition(c, REACHABLE, Conditions.FALSE));

        assertThat(Conditions.find(failed.getStatus().conditions, Conditions.READY))
                .get()
                .extracting(Condition::getReason)
                .isEqualTo("FileNotFound");
        assertThat(cluster.dataRoot.resolve("nowhere/ghost.sqlite")).doesNotExist();
    }

    @Test
    void aCatalogOfThreeThousandTablesIsStoredAndOnlyCountsGoIntoStatus() throws Exception {
        try (var db =
                        DriverManager.getConnection(
                                "jdbc:duckdb:" + cluster.dataRoot.resolve("wide.duckdb"));
                Statement st = db.createStatement()) {
            st.execute("BEGIN TRANSACTION");
            for (int i = 0; i < 3000; i++) {
                st.execute(
                        String.format(
                                "CREATE TABLE t%04d (id INTEGER PRIMARY KEY, label VARCHAR)", i));
            }
            st.execute("COMMIT");
        }
        fileConnector("wide", ConnectorType.DUCKDB, "wide.duckdb");

        Connector ready = awaitConnector("wide", ConnectorReconcilerTest::refreshed);

        assertThat(ready.getStatus().metadata.tables).isEqualTo(3000);
        String uid = ready.getMetadata().getUid();
        assertThat(cluster.store.connectorCatalogs().countTables(uid, "wide", "main"))
                .isEqualTo(3000);
        assertThat(cluster.store.connectorCatalogs().counts(uid).columns()).isEqualTo(6000);
        assertThat(cluster.store.connectorCatalogs().tables(uid, "wide", "main", 2, 2999))
                .extracting(TableSummary::name)
                .containsExactly("t2999");
        String statusJson = Serialization.asJson(ready.getStatus());
        assertThat(statusJson).doesNotContain("t0001").hasSizeLessThan(4_000);
    }

    // ---- http ----------------------------------------------------------------------------

    @Test
    void httpConnectorIsReachableWithItsTokenOrApiKeyAndUnreachableOn401() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/api",
                exchange -> {
                    var headers = exchange.getRequestHeaders();
                    boolean authorised =
                            "Bearer tok-12345".equals(headers.getFirst("Authorization"))
                                    || "key-777".equals(headers.getFirst("X-API-Key"));
                    exchange.sendResponseHeaders(authorised ? 200 : 401, -1);
                    exchange.close();
                });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/api/health";
            secret("api-token", "token", "tok-12345");
            secret("bad-token", "token", "tok-99999");
            httpConnector("good-api", url, "api-token");
            httpConnector("bad-api", url, "bad-token");

            Connector good = awaitConnector("good-api", ConnectorReconcilerTest::reachable);
            assertThat(good.getStatus().lastTest.message).contains("HTTP 200");
            assertThat(good.getStatus().metadata).isNull();

            secret("api-key", "key", "key-777");
            ConnectorSpec keyed = new ConnectorSpec();
            keyed.type = ConnectorType.HTTP;
            keyed.url = url;
            keyed.authType = AuthType.API_KEY;
            keyed.secretRef = new SecretKeySelector("key", "api-key", false);
            create("keyed-api", keyed);
            assertThat(
                            awaitConnector("keyed-api", ConnectorReconcilerTest::reachable)
                                    .getStatus()
                                    .lastTest
                                    .message)
                    .contains("HTTP 200");

            Connector bad =
                    awaitConnector("bad-api", c -> condition(c, REACHABLE, Conditions.FALSE));
            assertThat(bad.getStatus().lastTest.error).contains("HTTP 401");
            assertThat(Conditions.find(bad.getStatus().conditions, Conditions.READY))
                    .get()
                    .extracting(Condition::getReason)
                    .isEqualTo("HttpError");
            assertThat(Serialization.asJson(bad.getStatus())).doesNotContain("tok-99999");
        } finally {
            server.stop(0);
        }
    }

    // ---- references ----------------------------------------------------------------------

    @Test
    void deletingAReferencedConnectorMarksItsSourceAndDestinationAndDropsItsCatalog()
            throws Exception {
        try (var db =
                        DriverManager.getConnection(
                                "jdbc:sqlite:" + cluster.dataRoot.resolve("app.sqlite"));
                Statement st = db.createStatement()) {
            st.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)");
        }
        Connector connector = fileConnector("app-db", ConnectorType.SQLITE, "app.sqlite");
        jdbcSource("app", "app-db");
        destination("app-copy", "app-db");
        awaitConnector("app-db", ConnectorReconcilerTest::refreshed);
        await().atMost(OperatorHarness.WAIT).until(() -> ready(sourceConditions("app")));
        await().atMost(OperatorHarness.WAIT).until(() -> ready(destinationConditions("app-copy")));
        String uid = connector.getMetadata().getUid();
        assertThat(cluster.store.connectorCatalogs().counts(uid).tables()).isEqualTo(1);

        cluster.client.resources(Connector.class).inNamespace(NS).withName("app-db").delete();

        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                notFound(sourceConditions("app"))
                                        && notFound(destinationConditions("app-copy")));
        assertThat(Conditions.find(sourceConditions("app"), Conditions.READY))
                .get()
                .extracting(Condition::getMessage)
                .isEqualTo("connector app-db does not exist");
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                cluster.client
                                                .resources(Connector.class)
                                                .inNamespace(NS)
                                                .withName("app-db")
                                                .get()
                                        == null);
        assertThat(cluster.store.connectorCatalogs().counts(uid).tables()).isZero();
        assertThat(cluster.store.findId("Connector", uid)).isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------

    private static boolean reachable(Connector c) {
        return condition(c, REACHABLE, Conditions.TRUE);
    }

    private static boolean refreshed(Connector c) {
        return c.getStatus() != null
                && c.getStatus().metadata != null
                && condition(c, "CatalogRefreshed", Conditions.TRUE);
    }

    private static boolean condition(Connector c, String type, String status) {
        return c != null
                && c.getStatus() != null
                && Conditions.find(c.getStatus().conditions, type)
                        .map(x -> status.equals(x.getStatus()))
                        .orElse(false);
    }

    private static boolean ready(List<Condition> conditions) {
        return Conditions.isTrue(conditions, Conditions.READY);
    }

    private static boolean notFound(List<Condition> conditions) {
        return Conditions.find(conditions, Conditions.READY)
                .map(c -> "ConnectorNotFound".equals(c.getReason()))
                .orElse(false);
    }

    private static boolean hasAnnotation(Connector c, String key) {
        return c.getMetadata().getAnnotations() != null
                && c.getMetadata().getAnnotations().containsKey(key);
    }

    private Connector awaitConnector(String name, Predicate<Connector> done) {
        await().atMost(OperatorHarness.WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            Connector c = connector(name);
                            return c != null && c.getStatus() != null && done.test(c);
                        });
        return connector(name);
    }

    private Connector connector(String name) {
        return cluster.client.resources(Connector.class).inNamespace(NS).withName(name).get();
    }

    private List<Event> eventsOf(String name) {
        return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    private void secret(String name, String key, String value) {
        Secret s =
                new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(NS)
                        .endMetadata()
                        .withData(
                                Map.of(
                                        key,
                                        Base64.getEncoder()
                                                .encodeToString(
                                                        value.getBytes(StandardCharsets.UTF_8))))
                        .build();
        cluster.client.secrets().inNamespace(NS).resource(s).createOr(c -> c.update());
    }

    private void annotate(String connector, String key, String value) {
        Connector current = connector(connector);
        String add =
                "{\"op\":\"add\",\"path\":\"/metadata/annotations/"
                        + key.replace("/", "~1")
                        + "\",\"value\":\""
                        + value
                        + "\"}";
        String ops =
                current.getMetadata().getAnnotations() == null
                        ? "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{}},"
                                + add
                                + "]"
                        : "[" + add + "]";
        cluster.client
                .resources(Connector.class)
                .inNamespace(NS)
                .withName(connector)
                .patch(PatchContext.of(PatchType.JSON), ops);
    }

    private Connector postgresConnector(String name, String secret) {
        ConnectorSpec spec = new ConnectorSpec();
        spec.type = ConnectorType.POSTGRES;
        spec.host = "localhost";
        spec.port = postgres.getPort();
        spec.database = "shop";
        spec.username = "millrace";
        spec.authType = AuthType.BASIC;
        spec.secretRef = new SecretKeySelector("password", secret, false);
        return create(name, spec);
    }

    private Connector fileConnector(String name, ConnectorType type, String path) {
        ConnectorSpec spec = new ConnectorSpec();
        spec.type = type;
        spec.database = path;
        return create(name, spec);
    }

    private Connector httpConnector(String name, String url, String secret) {
        ConnectorSpec spec = new ConnectorSpec();
        spec.type = ConnectorType.HTTP;
        spec.url = url;
        spec.authType = AuthType.BEARER;
        spec.secretRef = new SecretKeySelector("token", secret, false);
        return create(name, spec);
    }

    private Connector create(String name, ConnectorSpec spec) {
        Connector c = new Connector();
        c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        c.setSpec(spec);
        return cluster.client.resource(c).create();
    }

    private void jdbcSource(String name, String connector) {
        Source s = new Source();
        s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        s.setSpec(new SourceSpec());
        s.getSpec().type = SourceType.JDBC;
        s.getSpec().connectorRef = ObjectRef.to(connector);
        cluster.client.resource(s).create();
    }

    private void destination(String name, String connector) {
        Destination d = new Destination();
        d.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        d.setSpec(new DestinationSpec());
        d.getSpec().type = DestinationType.DUCKDB;
        d.getSpec().path = "copy.duckdb";
        d.getSpec().connectorRef = ObjectRef.to(connector);
        cluster.client.resource(d).create();
    }

    private List<Condition> sourceConditions(String name) {
        Source s = cluster.source(name);
        return s == null || s.getStatus() == null ? List.of() : s.getStatus().conditions;
    }

    private List<Condition> destinationConditions(String name) {
        Destination d = destination(name);
        return d == null || d.getStatus() == null ? List.of() : d.getStatus().conditions;
    }

    private Destination destination(String name) {
        return cluster.client.resources(Destination.class).inNamespace(NS).withName(name).get();
    }
}
