package dev.millrace.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionStream;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.crds.connection.SyncMode;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.connector.ConnectorSpec;
import dev.millrace.crds.connector.ConnectorSpec.AuthType;
import dev.millrace.crds.connector.ConnectorSpec.ConnectorType;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceSpec;
import dev.millrace.crds.source.SourceStream;
import dev.millrace.crds.source.SourceType;
import dev.millrace.store.catalog.CatalogColumn;
import dev.millrace.store.catalog.ConnectorCatalogs;
import dev.millrace.store.catalog.TableSummary;
import dev.millrace.sync.MariaDbServer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * mysql and mariadb Connectors against a real MariaDB ({@link MariaDbServer}): the connection test,
 * the catalog read into the store, and a jdbc Source reading through the Connector synced by the
 * operator's own path (Job, password as a secretKeyRef, in-process runner).
 */
class MariaDbConnectorTest {

    @RegisterExtension static final MariaDbServer MARIADB = new MariaDbServer();

    private static final String NS = OperatorHarness.NS;

    @TempDir Path tmp;
    private OperatorHarness cluster;

    @BeforeEach
    void start() throws Exception {
        MARIADB.execute(
                "DROP VIEW IF EXISTS big_orders",
                "DROP TABLE IF EXISTS order_lines",
                "DROP TABLE IF EXISTS orders",
                "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR(40),"
                        + " placed_at DATETIME NOT NULL)",
                "CREATE TABLE order_lines (order_id BIGINT, line INT, sku VARCHAR(20),"
                        + " PRIMARY KEY (order_id, line))",
                "INSERT INTO orders SELECT seq, concat('c', seq), '2026-01-01' + INTERVAL seq"
                        + " MINUTE FROM seq_1_to_500",
                "ANALYZE TABLE orders",
                "CREATE VIEW big_orders AS SELECT * FROM orders WHERE id > 100");
        cluster = OperatorHarness.started(tmp);
        cluster.client
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("shop-credentials")
                                .withNamespace(NS)
                                .endMetadata()
                                .addToStringData("password", MariaDbServer.PASSWORD)
                                .addToStringData("wrong", "Wr0ng-pa55word-0815")
                                .build())
                .create();
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void mariadbConnectorBecomesReachableAndItsCatalogIsBrowsableFromTheStore() {
        connector("shop-db", ConnectorType.MARIADB, "password");

        Connector ready =
                awaitConnector(
                        "shop-db",
                        c ->
                                condition(c, "Reachable", Conditions.TRUE)
                                        && condition(c, "CatalogRefreshed", Conditions.TRUE));

        assertThat(ready.getStatus().lastTest.success).isTrue();
        assertThat(ready.getStatus().lastTest.message).contains("MariaDB");
        assertThat(Conditions.isTrue(ready.getStatus().conditions, Conditions.READY)).isTrue();
        assertThat(ready.getStatus().metadata.catalogs).isEqualTo(1);
        assertThat(ready.getStatus().metadata.tables).isEqualTo(3);

        String uid = ready.getMetadata().getUid();
        ConnectorCatalogs catalog = cluster.store.connectorCatalogs();
        assertThat(catalog.catalogs(uid, 10, 0)).containsExactly("shop");
        assertThat(catalog.schemas(uid, "shop", 10, 0)).containsExactly("");
        List<TableSummary> tables = catalog.tables(uid, "shop", "", 10, 0);
        assertThat(tables)
                .extracting(TableSummary::name, TableSummary::type, TableSummary::columnCount)
                .containsExactly(
                        tuple("big_orders", "VIEW", 3),
                        tuple("order_lines", "TABLE", 3),
                        tuple("orders", "TABLE", 3));
        assertThat(tables.get(2).rowCount()).isEqualTo(500);
        assertThat(tables.get(2).sizeBytes()).isPositive();
        assertThat(catalog.columns(uid, "shop", "", "orders", 10, 0))
                .extracting(CatalogColumn::name, CatalogColumn::primaryKeyOrdinal)
                .containsExactly(tuple("id", 1), tuple("customer", null), tuple("placed_at", null));
        assertThat(catalog.columns(uid, "shop", "", "order_lines", 10, 0))
                .extracting(CatalogColumn::name, CatalogColumn::primaryKeyOrdinal)
                .containsExactly(tuple("order_id", 1), tuple("line", 2), tuple("sku", null));
    }

    @Test
    void mysqlConnectorWithWrongPasswordIsUnreachableAndNoStatusHoldsThePassword() {
        connector("shop-db", ConnectorType.MYSQL, "wrong");

        Connector failed =
                awaitConnector("shop-db", c -> condition(c, "Reachable", Conditions.FALSE));

        assertThat(failed.getStatus().lastTest.success).isFalse();
        assertThat(failed.getStatus().lastTest.error).contains("Access denied");
        assertThat(Serialization.asJson(failed.getStatus())).doesNotContain("Wr0ng-pa55word");
    }

    @Test
    void aJdbcSourceOnAMariadbConnectorSyncsIncrementallyThroughAConnection() throws Exception {
        connector("shop-db", ConnectorType.MARIADB, "password");
        Source source = new Source();
        source.setMetadata(new ObjectMetaBuilder().withName("shop").withNamespace(NS).build());
        source.setSpec(new SourceSpec());
        source.getSpec().type = SourceType.JDBC;
        source.getSpec().connectorRef = ObjectRef.to("shop-db");
        SourceStream orders = new SourceStream();
        orders.name = "orders";
        orders.table = "orders";
        source.getSpec().streams = List.of(orders);
        cluster.client.resource(source).create();
        cluster.warehouse("warehouse");
        Connection connection =
                cluster.connection("shop-to-wh", "shop", "warehouse", Schedule.manual());
        ConnectionStream stream = new ConnectionStream();
        stream.name = "orders";
        stream.syncMode = SyncMode.INCREMENTAL_DEDUPED_HISTORY;
        stream.cursorField = "placed_at";
        stream.primaryKey = List.of("id");
        connection.getSpec().streams = List.of(stream);
        cluster.client.resource(connection).update();

        cluster.requestSync("shop-to-wh", "first");
        Connection first = cluster.awaitLastJob("shop-to-wh", "succeeded");

        assertThat(first.getStatus().lastJob.rowsSynced).isEqualTo(500);
        assertThat(cluster.warehouseCount("SELECT count(*) FROM raw_shop.orders")).isEqualTo(500);
        assertThat(first.getStatus().streams)
                .extracting(state -> state.name, state -> state.cursor)
                .containsExactly(tuple("orders", "2026-01-01 08:20:00"));
        var job = cluster.jobsOf("shop-to-wh").get(0);
        assertThat(Serialization.asJson(job)).doesNotContain(MariaDbServer.PASSWORD);

        MARIADB.execute(
                "UPDATE orders SET customer = 'changed', placed_at = '2026-02-01' WHERE id = 7",
                "INSERT INTO orders VALUES (501, 'new', '2026-02-02')");
        cluster.requestSync("shop-to-wh", "second");
        await().atMost(OperatorHarness.WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> {
                            var last = cluster.connection("shop-to-wh").getStatus().lastJob;
                            return !last.id.equals(first.getStatus().lastJob.id)
                                    && "succeeded".equals(last.status);
                        });
        Connection second = cluster.connection("shop-to-wh");

        assertThat(second.getStatus().lastJob.rowsSynced).isEqualTo(2);
        assertThat(cluster.warehouseCount("SELECT count(*) FROM raw_shop.orders")).isEqualTo(501);
        assertThat(
                        cluster.warehouseCount(
                                "SELECT count(*) FROM raw_shop.orders WHERE id = 7 AND customer ="
                                        + " 'changed'"))
                .isEqualTo(1);
        assertThat(second.getStatus().streams)
                .extracting(state -> state.cursor)
                .containsExactly("2026-02-02 00:00:00");
    }

    private void connector(String name, ConnectorType type, String passwordKey) {
        ConnectorSpec spec = new ConnectorSpec();
        spec.type = type;
        spec.host = MARIADB.host();
        spec.port = MARIADB.port();
        spec.database = MariaDbServer.DATABASE;
        spec.username = MariaDbServer.USER;
        spec.authType = AuthType.BASIC;
        spec.secretRef = new SecretKeySelector(passwordKey, "shop-credentials", false);
        Connector c = new Connector();
        c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        c.setSpec(spec);
        cluster.client.resource(c).create();
    }

    private static boolean condition(Connector c, String type, String status) {
        return Conditions.find(c.getStatus().conditions, type)
                .map(x -> status.equals(x.getStatus()))
                .orElse(false);
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
}
