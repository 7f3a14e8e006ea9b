package dev.millrace.operator.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.millrace.crds.source.RestAuth;
import dev.millrace.crds.source.RestColumn;
import dev.millrace.crds.source.RestPagination;
import dev.millrace.crds.source.RestSource;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceSpec;
import dev.millrace.crds.source.SourceStream;
import dev.millrace.crds.source.SourceType;
import dev.millrace.crds.source.StripeSource;
import dev.millrace.operator.OperatorSettings;
import dev.millrace.operator.job.SyncJobFactory;
import dev.millrace.sync.plan.PlanJson;
import dev.millrace.sync.plan.RestPlan.RestAuthPlan;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncPlan;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestSourcePlanTest {

    private static Source source(SourceType type) {
        Source source = new Source();
        source.setMetadata(
                new ObjectMetaBuilder().withName("payments").withNamespace("team-a").build());
        source.setSpec(new SourceSpec());
        source.getSpec().type = type;
        return source;
    }

    private static Source stripe(String... endpoints) {
        Source source = source(SourceType.STRIPE);
        source.getSpec().stripe = new StripeSource();
        source.getSpec().stripe.secretRef = new SecretKeySelector("api-key", "stripe-key", false);
        source.getSpec().stripe.endpoints = List.of(endpoints);
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

    private static Connection connection(ConnectionStream... streams) {
        Connection connection = new Connection();
        connection.setMetadata(
                new ObjectMetaBuilder().withName("payments-to-wh").withNamespace("team-a").build());
        connection.setSpec(new ConnectionSpec());
        connection.getSpec().sourceRef = ObjectRef.to("payments");
        connection.getSpec().destinationRef = ObjectRef.to("warehouse");
        connection.getSpec().streams = List.of(streams);
        return connection;
    }

    private static ConnectionStream chosen(String name, SyncMode mode) {
        ConnectionStream stream = new ConnectionStream();
        stream.name = name;
        stream.syncMode = mode;
        return stream;
    }

    private static ObjectNode json(Source source, Connector connector, Connection connection)
            throws Exception {
        return SyncPlanBuilder.build(7, connection, source, connector, warehouse(), false);
    }

    @Test
    void stripeEndpointsBecomeIncrementalStreamsOnCreatedWithIdKeys() throws Exception {
        ObjectNode json = json(stripe("charges", "invoices"), null, connection());
        SyncPlan plan = PlanJson.read(json.toString());

        assertThat(plan.source().type()).isEqualTo("stripe");
        assertThat(plan.source().rest().baseUrl()).isNull();
        assertThat(plan.source().rest().requestsPerSecond()).isEqualTo(25.0);
        assertThat(plan.source().rest().auth())
                .isEqualTo(new RestAuthPlan("bearer", "MILLRACE_SOURCE_SECRET", null, null, null));
        assertThat(plan.streams())
                .extracting(StreamPlan::name, s -> s.syncMode().wireName(), StreamPlan::cursorField)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "charges", "incremental_append", "created"),
                        org.assertj.core.groups.Tuple.tuple(
                                "invoices", "incremental_append", "created"));
        assertThat(plan.streams())
                .allSatisfy(s -> assertThat(s.primaryKey()).containsExactly("id"));
        // The preset fills in the endpoint; the plan stays small.
        assertThat(plan.streams()).allSatisfy(s -> assertThat(s.rest()).isNull());
    }

    @Test
    void aStripeSourceWithoutEndpointsOffersChargesAndCustomers() throws Exception {
        SyncPlan plan = PlanJson.read(json(stripe(), null, connection()).toString());

        assertThat(plan.streams())
                .extracting(StreamPlan::name)
                .containsExactly("charges", "customers");
    }

    @Test
    void anUnknownStripeListIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> json(stripe("widgets"), null, connection()))
                .isInstanceOf(SyncPlanBuilder.InvalidConnection.class)
                .hasMessageContaining(
                        "\"widgets\" of stripe source payments is not a known Stripe list")
                .hasMessageContaining("payment_intents");
    }

    @Test
    void theStripeKeyReachesTheJobOnlyAsASecretKeyRef() throws Exception {
        ObjectNode json = json(stripe("charges"), null, connection());
        Job job = new SyncJobFactory(OperatorSettings.defaults()).build(connection(), 7, json);

        EnvVar key =
                job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                        .filter(env -> env.getName().equals("MILLRACE_SOURCE_SECRET"))
                        .findFirst()
                        .orElseThrow();
        assertThat(key.getValue()).isNull();
        assertThat(key.getValueFrom().getSecretKeyRef().getName()).isEqualTo("stripe-key");
        assertThat(key.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("api-key");
    }

    @Test
    void aRestSourceMapsItsEndpointsPagingAuthAndSchema() throws Exception {
        Source source = source(SourceType.REST);
        source.getSpec().rest = new RestSource();
        source.getSpec().rest.baseUrl = "https://api.example.com/v2";
        source.getSpec().rest.requestsPerSecond = 5.0;
        source.getSpec().rest.recordsPath = "/items";
        source.getSpec().rest.auth = new RestAuth();
        source.getSpec().rest.auth.type = RestAuth.Type.API_KEY;
        source.getSpec().rest.auth.header = "X-API-Key";
        source.getSpec().rest.auth.secretRef = new SecretKeySelector("key", "example-api", false);
        source.getSpec().rest.pagination = new RestPagination();
        source.getSpec().rest.pagination.type = RestPagination.Type.OFFSET;
        SourceStream orders = new SourceStream();
        orders.name = "orders";
        orders.path = "/orders";
        orders.cursorField = "updated_at";
        orders.primaryKey = List.of("id");
        orders.cursorParam = "updated_since";
        orders.params = Map.of("status", "any");
        RestColumn id = new RestColumn();
        id.name = "id";
        id.type = "bigint";
        orders.columns = List.of(id);
        SourceStream refunds = new SourceStream();
        refunds.name = "refunds";
        refunds.path = "/refunds";
        refunds.pagination = new RestPagination();
        refunds.pagination.type = RestPagination.Type.LINK;
        source.getSpec().streams = List.of(orders, refunds);

        SyncPlan plan = PlanJson.read(json(source, null, connection()).toString());

        assertThat(plan.source().rest().baseUrl()).isEqualTo("https://api.example.com/v2");
        assertThat(plan.source().rest().auth())
                .isEqualTo(
                        new RestAuthPlan(
                                "api_key", "MILLRACE_SOURCE_SECRET", null, "X-API-Key", null));
        StreamPlan first = plan.streams().get(0);
        assertThat(first.syncMode().wireName()).isEqualTo("incremental_append");
        assertThat(first.cursorField()).isEqualTo("updated_at");
        assertThat(first.primaryKey()).containsExactly("id");
        assertThat(first.rest().path()).isEqualTo("/orders");
        assertThat(first.rest().recordsPath()).isEqualTo("/items");
        assertThat(first.rest().pagination().type()).isEqualTo("offset");
        assertThat(first.rest().cursorParam()).isEqualTo("updated_since");
        assertThat(first.rest().params()).containsEntry("status", "any");
        assertThat(first.rest().columns())
                .extracting(c -> c.name() + " " + c.type())
                .containsExactly("id bigint");
        // Without a cursor, the defaulted mode copies the endpoint whole.
        assertThat(plan.streams().get(1).syncMode().wireName()).isEqualTo("full_refresh_overwrite");
        assertThat(plan.streams().get(1).rest().pagination().type()).isEqualTo("link");
    }

    @Test
    void aRestSourceTakesUrlAndCredentialFromAnHttpConnector() throws Exception {
        Source source = source(SourceType.REST);
        source.getSpec().connectorRef = ObjectRef.to("example-api");
        SourceStream orders = new SourceStream();
        orders.name = "orders";
        orders.path = "/orders";
        source.getSpec().streams = List.of(orders);
        Connector connector = new Connector();
        connector.setMetadata(new ObjectMetaBuilder().withName("example-api").build());
        connector.setSpec(new ConnectorSpec());
        connector.getSpec().type = ConnectorSpec.ConnectorType.HTTP;
        connector.getSpec().url = "https://api.example.com";
        connector.getSpec().authType = ConnectorSpec.AuthType.BASIC;
        connector.getSpec().username = "reader";
        connector.getSpec().secretRef = new SecretKeySelector("password", "example-api", false);

        SyncPlan plan = PlanJson.read(json(source, connector, connection()).toString());

        assertThat(plan.source().rest().baseUrl()).isEqualTo("https://api.example.com");
        assertThat(plan.source().rest().auth())
                .isEqualTo(
                        new RestAuthPlan("basic", "MILLRACE_SOURCE_SECRET", "reader", null, null));
    }

    @Test
    void incrementalAppendOnARestStreamWithoutCursorIsRefused() {
        Source source = source(SourceType.REST);
        source.getSpec().rest = new RestSource();
        source.getSpec().rest.baseUrl = "https://api.example.com";
        SourceStream orders = new SourceStream();
        orders.name = "orders";
        orders.path = "/orders";
        source.getSpec().streams = List.of(orders);

        assertThatThrownBy(
                        () ->
                                json(
                                        source,
                                        null,
                                        connection(chosen("orders", SyncMode.INCREMENTAL_APPEND))))
                .isInstanceOf(SyncPlanBuilder.InvalidConnection.class)
                .hasMessageContaining("needs a cursorField for incremental_append");
    }
}
