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
import dev.millrace.crds.source.SourceType;
import dev.millrace.operator.OperatorSettings;
import dev.millrace.operator.job.SyncJobFactory;
import dev.millrace.sync.plan.ParquetPlan;
import dev.millrace.sync.plan.PlanJson;
import dev.millrace.sync.plan.PostgresPlan;
import dev.millrace.sync.plan.SyncPlan;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Destination resources of type postgres and parquet become the plan's destination. */
class DestinationPlanTest {

    private static Source csvSource() {
        Source source = new Source();
        source.setMetadata(
                new ObjectMetaBuilder().withName("events").withNamespace("team-a").build());
        source.setSpec(new SourceSpec());
        source.getSpec().type = SourceType.CSV;
        source.getSpec().files = new FileSource();
        source.getSpec().files.directory = "events";
        return source;
    }

    private static Destination destination(DestinationType type) {
        Destination destination = new Destination();
        destination.setMetadata(
                new ObjectMetaBuilder().withName("target").withNamespace("team-a").build());
        destination.setSpec(new DestinationSpec());
        destination.getSpec().type = type;
        return destination;
    }

    private static Connection connection() {
        Connection connection = new Connection();
        connection.setMetadata(
                new ObjectMetaBuilder().withName("events-out").withNamespace("team-a").build());
        connection.setSpec(new ConnectionSpec());
        connection.getSpec().sourceRef = ObjectRef.to("events");
        connection.getSpec().destinationRef = ObjectRef.to("target");
        return connection;
    }

    private static Connector connector(ConnectorSpec.ConnectorType type) {
        Connector connector = new Connector();
        connector.setMetadata(
                new ObjectMetaBuilder().withName("dwh").withNamespace("team-a").build());
        connector.setSpec(new ConnectorSpec());
        connector.getSpec().type = type;
        connector.getSpec().host = "dwh.internal";
        connector.getSpec().port = 5432;
        connector.getSpec().database = "analytics";
        connector.getSpec().username = "loader";
        connector.getSpec().secretRef = new SecretKeySelector("password", "dwh-credentials", false);
        connector.getSpec().options.put("sslmode", "require");
        return connector;
    }

    @Test
    void postgresDestinationTakesItsServerFromTheConnectorAndThePasswordOnlyAsASecretReference()
            throws Exception {
        Destination destination = destination(DestinationType.POSTGRES);
        destination.getSpec().connectorRef = ObjectRef.to("dwh");

        ObjectNode json =
                SyncPlanBuilder.build(
                        7,
                        connection(),
                        csvSource(),
                        null,
                        destination,
                        connector(ConnectorSpec.ConnectorType.POSTGRES),
                        false);
        SyncPlan plan = PlanJson.read(json.toString());

        assertThat(plan.destination().type()).isEqualTo("postgres");
        assertThat(plan.destination().schema()).isEqualTo("raw_events");
        assertThat(plan.destination().postgres())
                .isEqualTo(
                        new PostgresPlan(
                                "dwh.internal",
                                5432,
                                "analytics",
                                "loader",
                                "MILLRACE_DESTINATION_PASSWORD",
                                Map.of("sslmode", "require")));
        assertThat(json.toString()).doesNotContain("\"password\":\"");

        Job job = new SyncJobFactory(OperatorSettings.defaults()).build(connection(), 7, json);
        EnvVar password =
                job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                        .filter(env -> env.getName().equals("MILLRACE_DESTINATION_PASSWORD"))
                        .findFirst()
                        .orElseThrow();
        assertThat(password.getValue()).isNull();
        assertThat(password.getValueFrom().getSecretKeyRef().getName())
                .isEqualTo("dwh-credentials");
        assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    }

    @Test
    void parquetDestinationPassesItsFolderAndPartitionColumns() throws Exception {
        Destination destination = destination(DestinationType.PARQUET);
        destination.getSpec().path = "lake/events";
        destination.getSpec().partitionBy = List.of("event_date");

        SyncPlan plan =
                PlanJson.read(
                        SyncPlanBuilder.build(7, connection(), csvSource(), destination, false)
                                .toString());

        assertThat(plan.destination().type()).isEqualTo("parquet");
        assertThat(plan.destination().parquet())
                .isEqualTo(new ParquetPlan("lake/events", List.of("event_date")));
    }

    @Test
    void postgresDestinationWithoutItsConnectorIsRefused() {
        Destination destination = destination(DestinationType.POSTGRES);
        destination.getSpec().connectorRef = ObjectRef.to("missing");

        assertThatThrownBy(
                        () ->
                                SyncPlanBuilder.build(
                                        7, connection(), csvSource(), destination, false))
                .isInstanceOf(SyncPlanBuilder.InvalidConnection.class)
                .hasMessageContaining("needs the Connector its connectorRef names");
    }

    @Test
    void postgresDestinationThroughANonPostgresConnectorIsRefused() {
        Destination destination = destination(DestinationType.POSTGRES);
        destination.getSpec().connectorRef = ObjectRef.to("dwh");

        assertThatThrownBy(
                        () ->
                                SyncPlanBuilder.build(
                                        7,
                                        connection(),
                                        csvSource(),
                                        null,
                                        destination,
                                        connector(ConnectorSpec.ConnectorType.MYSQL),
                                        false))
                .isInstanceOf(SyncPlanBuilder.InvalidConnection.class)
                .hasMessageContaining("needs a postgres Connector, not mysql");
    }
}
