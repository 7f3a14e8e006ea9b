package dev.millrace.operator.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionSpec;
import dev.millrace.crds.connector.Connector;
import dev.millrace.crds.connector.ConnectorSpec;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.destination.DestinationSpec;
import dev.millrace.crds.destination.DestinationType;
import dev.millrace.crds.source.FileSource;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceSpec;
import dev.millrace.crds.source.SourceStream;
import dev.millrace.crds.source.SourceType;
import dev.millrace.operator.OperatorSettings;
import dev.millrace.operator.job.SyncJobFactory;
import dev.millrace.sync.plan.JdbcPlan;
import dev.millrace.sync.plan.PlanJson;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncPlan;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncPlanBuilderTest {

    private static Source fileSource(SourceType type, String glob) {
        Source source = new Source();
        source.setMetadata(
                new ObjectMetaBuilder().withName("events").withNamespace("team-a").build());
        source.setSpec(new SourceSpec());
        source.getSpec().type = type;
        source.getSpec().files = new FileSource();
        source.getSpec().files.directory = "events";
        if (glob != null) {
            source.getSpec().files.glob = glob;
        }
        return source;
    }

    private static Destination warehouse() {
        Destination destination = new Destination();
        destination.setMetadata(
                new ObjectMetaBuilder().withName("warehouse").withNamespace("team-a").build());
        destination.setSpec(new DestinationSpec());
        destination.getSpec().type = DestinationType.DUCKDB;
        return destination;
    }

    private static Connection connection() {
        Connection connection = new Connection();
        connection.setMetadata(
                new ObjectMetaBuilder().withName("events-to-wh").withNamespace("team-a").build());
        connection.setSpec(new ConnectionSpec());
        connection.getSpec().sourceRef = ObjectRef.to("events");
        connection.getSpec().destinationRef = ObjectRef.to("warehouse");
        return connection;
    }

    private static SyncPlan plan(Source source) throws Exception {
        ObjectNode json = SyncPlanBuilder.build(7, connection(), source, warehouse(), false);
        return PlanJson.read(json.toString());
    }

    @Test
    void csvSourceKeepsItsGlobDelimiterAndHeader() throws Exception {
        Source source = fileSource(SourceType.CSV, null);
        source.getSpec().files.delimiter = ";";

        SyncPlan plan = plan(source);

        assertThat(plan.source().type()).isEqualTo("csv");
        assertThat(plan.source().files().glob()).isEqualTo("*.csv");
        assertThat(plan.source().files().delimiter()).isEqualTo(";");
        assertThat(plan.destination().schema()).isEqualTo("raw_events");
    }

    @Test
    void parquetSourceWithTheCrdDefaultGlobReadsParquetFiles() throws Exception {
        SyncPlan plan = plan(fileSource(SourceType.PARQUET, null));

        assertThat(plan.source().type()).isEqualTo("parquet");
        assertThat(plan.source().files().glob()).isEqualTo("*.parquet");
        assertThat(plan.source().files().delimiter()).isNull();
    }

    @Test
    void jsonSourcePassesItsFormatAndOwnGlob() throws Exception {
        Source source = fileSource(SourceType.JSON, "2026/*.jsonl");
        source.getSpec().files.format = FileSource.JsonFormat.NEWLINE_DELIMITED;

        SyncPlan plan = plan(source);

        assertThat(plan.source().type()).isEqualTo("json");
        assertThat(plan.source().files().glob()).isEqualTo("2026/*.jsonl");
        assertThat(plan.source().files().format()).isEqualTo("newline_delimited");
    }

    @Test
    void jdbcSourceTakesHostAndUserFromItsConnectorAndThePasswordOnlyAsASecretReference()
            throws Exception {
        Source source = fileSource(SourceType.JDBC, null);
        source.getSpec().files = null;
        source.getSpec().connectorRef = ObjectRef.to("shop-db");
        SourceStream orders = new SourceStream();
        orders.name = "orders";
        orders.table = "public.orders";
        SourceStream recent = new SourceStream();
        recent.name = "recent";
        recent.query = "SELECT * FROM orders WHERE amount > 10";
        source.getSpec().streams = List.of(orders, recent);
        Connector connector = new Connector();
        connector.setMetadata(
                new ObjectMetaBuilder().withName("shop-db").withNamespace("team-a").build());
        connector.setSpec(new ConnectorSpec());
        connector.getSpec().type = ConnectorSpec.ConnectorType.POSTGRES;
        connector.getSpec().host = "db.internal";
        connector.getSpec().port = 5433;
        connector.getSpec().database = "shop";
        connector.getSpec().username = "reader";
        connector.getSpec().secretRef =
                new SecretKeySelector("password", "shop-db-credentials", false);
        connector.getSpec().options.put("sslmode", "require");

        ObjectNode json =
                SyncPlanBuilder.build(7, connection(), source, connector, warehouse(), false);
        SyncPlan plan = PlanJson.read(json.toString());

        assertThat(plan.source().jdbc())
                .isEqualTo(
                        new JdbcPlan(
                                "postgres",
                                "db.internal",
                                5433,
                                "shop",
                                "reader",
                                "MILLRACE_SOURCE_PASSWORD",
                                Map.of("sslmode", "require")));
        assertThat(plan.streams())
                .extracting(StreamPlan::table)
                .containsExactly("public.orders", null);
        assertThat(plan.streams().get(1).query())
                .isEqualTo("SELECT * FROM orders WHERE amount > 10");

        Job job = new SyncJobFactory(OperatorSettings.defaults()).build(connection(), 7, json);
        EnvVar password =
                job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                        .filter(env -> env.getName().equals("MILLRACE_SOURCE_PASSWORD"))
                        .findFirst()
                        .orElseThrow();
        assertThat(password.getValue()).isNull();
        assertThat(password.getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("shop-db-credentials");
        assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    }

    @Test
    void mysqlAndMariadbConnectorsBecomeTheirJdbcDriversWithThePasswordAsASecretReference()
            throws Exception {
        for (var type :
                List.of(ConnectorSpec.ConnectorType.MYSQL, ConnectorSpec.ConnectorType.MARIADB)) {
            Source source = fileSource(SourceType.JDBC, null);
            source.getSpec().files = null;
            source.getSpec().connectorRef = ObjectRef.to("shop-db");
            SourceStream orders = new SourceStream();
            orders.name = "orders";
            orders.table = "orders";
            source.getSpec().streams = List.of(orders);
            Connector connector = new Connector();
            connector.setMetadata(
                    new ObjectMetaBuilder().withName("shop-db").withNamespace("team-a").build());
            connector.setSpec(new ConnectorSpec());
            connector.getSpec().type = type;
            connector.getSpec().host = "mysql.internal";
            connector.getSpec().database = "shop";
            connector.getSpec().username = "reader";
            connector.getSpec().secretRef =
                    new SecretKeySelector("password", "shop-db-credentials", false);

            ObjectNode json =
                    SyncPlanBuilder.build(7, connection(), source, connector, warehouse(), false);
            SyncPlan plan = PlanJson.read(json.toString());

            assertThat(plan.source().jdbc())
                    .isEqualTo(
                            new JdbcPlan(
                                    type == ConnectorSpec.ConnectorType.MYSQL ? "mysql" : "mariadb",
                                    "mysql.internal",
                                    null,
                                    "shop",
                                    "reader",
                                    "MILLRACE_SOURCE_PASSWORD",
                                    Map.of()));
            assertThat(json.toString()).doesNotContain("password\":\"");
            Job job = new SyncJobFactory(OperatorSettings.defaults()).build(connection(), 7, json);
            EnvVar password =
                    job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                            .filter(env -> env.getName().equals("MILLRACE_SOURCE_PASSWORD"))
                            .findFirst()
                            .orElseThrow();
            assertThat(password.getValueFrom().getSecretKeyRef().getName())
                    .isEqualTo("shop-db-credentials");
        }
    }

    @Test
    void jdbcSourceWithoutItsConnectorIsRefused() {
        Source source = fileSource(SourceType.JDBC, null);
        source.getSpec().connectorRef = ObjectRef.to("missing");

        assertThatThrownBy(
                        () ->
                                SyncPlanBuilder.build(
                                        7, connection(), source, null, warehouse(), false))
                .isInstanceOf(SyncPlanBuilder.InvalidConnection.class)
                .hasMessageContaining("needs the Connector");
    }
}
