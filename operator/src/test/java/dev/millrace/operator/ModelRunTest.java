package dev.millrace.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.crds.model.Model;
import dev.millrace.crds.model.ModelSpec;
import dev.millrace.crds.model.ModelStatus;
import dev.millrace.crds.source.Source;
import dev.millrace.operator.model.ModelJobFactory;
import dev.millrace.store.model.ModelRunRecord;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRunTest {
    private static final String NS = OperatorHarness.NS;
    private static final String HEADER = "order_id,customer,amount\n";

    @TempDir Path tmp;
    private OperatorHarness cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = OperatorHarness.started(tmp);
        cluster.csvFolder(
                "orders",
                Map.of(
                        "a.csv", HEADER + "1,ada,10.5\n2,bob,20\n3,ada,7.25\n",
                        "b.csv", HEADER + "4,dee,1\n5,eve,2\n"));
        cluster.csvSource("orders", "orders");
        cluster.warehouse("warehouse");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void viewAndTableModelsOverASyncedTableAreBuiltInTheWarehouse() throws Exception {
        syncOrders();
        model(
                "big_orders",
                "select order_id, customer, amount from raw_orders.orders where amount > 5",
                "view",
                "marts");
        model(
                "order_counts",
                "select customer, count(*) as n from raw_orders.orders group by customer;",
                "table",
                "marts");

        // One after the other: two runs writing one DuckDB file at once is what the per-destination
        // Lease prevents, not something this test is about.
        requestRun("big_orders", "r1", false);
        Model view = awaitModel("big_orders", m -> phase(m) == ModelStatus.Phase.SUCCESS);
        requestRun("order_counts", "r2", false);
        Model table = awaitModel("order_counts", m -> phase(m) == ModelStatus.Phase.SUCCESS);

        assertThat(rows("select customer || ':' || amount from marts.big_orders order by order_id"))
                .containsExactly("ada:10.5", "bob:20.0", "ada:7.25");
        assertThat(rows("select customer || '=' || n from marts.order_counts order by customer"))
                .containsExactly("ada=2", "bob=1", "dee=1", "eve=1");
        assertThat(
                        rows(
                                "select table_type from information_schema.tables where table_name"
                                        + " in ('big_orders', 'order_counts') order by table_name"))
                .containsExactly("VIEW", "BASE TABLE");

        assertThat(table.getStatus().rowCount).isEqualTo(4L);
        assertThat(view.getStatus().rowCount).as("views are not counted").isNull();
        for (Model m : List.of(view, table)) {
            assertThat(m.getStatus().lastRun).isNotNull();
            assertThat(m.getStatus().lastError).isNull();
            assertThat(m.getStatus().observedGeneration).isEqualTo(m.getMetadata().getGeneration());
            assertThat(Conditions.isTrue(m.getStatus().conditions, Conditions.READY)).isTrue();
            assertThat(m.getMetadata().getAnnotations())
                    .doesNotContainKey(MillraceApi.RUN_ANNOTATION);
        }
        List<Job> jobs = modelJobs("order_counts");
        assertThat(jobs)
                .singleElement()
                .satisfies(
                        job -> {
                            assertThat(job.getMetadata().getName())
                                    .isEqualTo(
                                            ModelJobFactory.jobName(
                                                    "order_counts", table.getStatus().lastRunId));
                            assertThat(job.getMetadata().getOwnerReferences().get(0).getUid())
                                    .isEqualTo(table.getMetadata().getUid());
                            assertThat(job.getMetadata().getLabels())
                                    .containsEntry(MillraceApi.JOB_TYPE_LABEL, "model_run");
                        });
        assertThat(eventReasons("order_counts")).contains("ModelRunStarted", "ModelRunSucceeded");
        assertThat(cluster.store.modelRuns().find(table.getStatus().lastRunId))
                .get()
                .satisfies(r -> assertThat(r.rowCount()).isEqualTo(4L));
    }

    @Test
    void cascadeBuildsEveryDownstreamModelAfterItsUpstreamWithRefsRendered() throws Exception {
        syncOrders();
        model(
                "stg_orders",
                "select order_id, customer, amount from raw_orders.orders",
                "view",
                "staging");
        model(
                "customer_totals",
                "select customer, sum(amount) as total from {{ ref('stg_orders') }} group by"
                        + " customer",
                "table",
                "marts");
        model(
                "top_customer",
                "select customer from {{ ref(\"customer_totals\") }} order by total desc limit 1",
                "table",
                "marts");

        requestRun("stg_orders", "cascade-1", true);

        Model c = awaitModel("top_customer", m -> phase(m) == ModelStatus.Phase.SUCCESS);
        Model b = model("customer_totals");
        Model a = model("stg_orders");
        assertThat(phase(a)).isEqualTo(ModelStatus.Phase.SUCCESS);
        assertThat(phase(b)).isEqualTo(ModelStatus.Phase.SUCCESS);
        assertThat(rows("select customer from marts.top_customer")).containsExactly("bob");
        assertThat(rows("select sql from duckdb_views() where view_name = 'stg_orders'"))
                .hasSize(1);
        assertThat(
                        rows(
                                "select customer || '=' || total from marts.customer_totals order"
                                        + " by customer"))
                .containsExactly("ada=17.75", "bob=20.0", "dee=1.0", "eve=2.0");

        ModelRunRecord runA = run(a);
        ModelRunRecord runB = run(b);
        ModelRunRecord runC = run(c);
        assertThat(runA.id()).isLessThan(runB.id());
        assertThat(runB.id()).isLessThan(runC.id());
        // A downstream run is only allocated once its upstream's run has ended.
        assertThat(runB.createdAt()).isAfterOrEqualTo(runA.endedAt());
        assertThat(runC.createdAt()).isAfterOrEqualTo(runB.endedAt());
        assertThat(List.of(runA.requestKey(), runB.requestKey(), runC.requestKey()))
                .containsOnly("manual:cascade-1");
    }

    @Test
    void aFailedUpstreamMarksItsDownstreamNotRunWithTheReason() throws Exception {
        model("broken", "select * from raw_orders.does_not_exist", "table", "marts");
        model("after_broken", "select * from {{ ref('broken') }}", "view", "marts");

        requestRun("broken", "cascade-2", true);

        Model downstream =
                awaitModel(
                        "after_broken",
                        m ->
                                phase(m) == ModelStatus.Phase.NOT_RUN
                                        && m.getStatus().lastError != null);
        assertThat(downstream.getStatus().lastError)
                .isEqualTo("not run: model broken failed in the same request");
        assertThat(phase(model("broken"))).isEqualTo(ModelStatus.Phase.ERROR);
        assertThat(modelJobs("after_broken")).isEmpty();
        assertThat(eventReasons("after_broken")).contains("ModelRunSkipped");
    }

    @Test
    void aDependencyCycleIsAConditionAndRunsNoJob() throws Exception {
        Model x = model("cycle_x", "select * from {{ ref('cycle_y') }}", "view", "marts");
        model("cycle_y", "select 1 as one", "view", "marts", List.of("cycle_x"));
        model("orphan", "select * from {{ ref('nowhere') }}", "view", "marts");

        requestRun("cycle_x", "r-cycle", false);

        Model refused =
                awaitModel(
                        "cycle_x",
                        m -> phase(m) == ModelStatus.Phase.ERROR && !hasRunAnnotation(m));
        Condition ready = ready(refused);
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("DependencyCycle");
        assertThat(ready.getMessage()).isEqualTo("dependency cycle: cycle_x → cycle_y → cycle_x");
        assertThat(refused.getStatus().lastError).isEqualTo(ready.getMessage());
        assertThat(ready(awaitModel("cycle_y", m -> ready(m) != null)).getMessage())
                .isEqualTo("dependency cycle: cycle_y → cycle_x → cycle_y");
        Condition unknown = ready(awaitModel("orphan", m -> ready(m) != null));
        assertThat(unknown.getReason()).isEqualTo("UnknownModel");
        assertThat(unknown.getMessage()).contains("nowhere");
        assertThat(modelJobs("cycle_x")).isEmpty();
        assertThat(modelJobs("cycle_y")).isEmpty();
        assertThat(x.getMetadata().getUid()).isNotNull();
    }

    @Test
    void aSqlErrorLeavesThePreviousTableIntactAndReportsTheError() throws Exception {
        syncOrders();
        model(
                "totals",
                "select customer, sum(amount) as total from raw_orders.orders group by customer",
                "table",
                "marts");
        requestRun("totals", "r-good", false);
        awaitModel("totals", m -> phase(m) == ModelStatus.Phase.SUCCESS);
        assertThat(cluster.warehouseCount("select count(*) from marts.totals")).isEqualTo(4);

        // A JSON Patch, not a PUT: the operator writes the Model's status meanwhile.
        cluster.client
                .resources(Model.class)
                .inNamespace(OperatorHarness.NS)
                .withName("totals")
                .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"replace\",\"path\":\"/spec/sql\",\"value\":\"select"
                                + " customer, sum(amount) as total from raw_orders.no_such_table"
                                + " group by customer\"}]");
        requestRun("totals", "r-bad", false);

        Model failed = awaitModel("totals", m -> phase(m) == ModelStatus.Phase.ERROR);
        assertThat(failed.getStatus().lastError).contains("no_such_table");
        assertThat(failed.getStatus().rowCount)
                .as("still the rows of the table that is there")
                .isEqualTo(4L);
        assertThat(cluster.warehouseCount("select count(*) from marts.totals")).isEqualTo(4);
        assertThat(eventReasons("totals")).contains("ModelRunFailed");
        assertThat(modelJobs("totals")).hasSize(2);
    }

    @Test
    void aSourceThatRunsModelsAfterSyncBuildsTheDestinationsModelsInOrder() throws Exception {
        cluster.source("orders");
        // A JSON Patch, not a PUT: the operator writes the Source's status meanwhile.
        cluster.client
                .resources(Source.class)
                .inNamespace(OperatorHarness.NS)
                .withName("orders")
                .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"add\",\"path\":\"/spec/runModelsAfterSync\",\"value\":true}]");
        model("stg_orders", "select * from raw_orders.orders", "view", "staging");
        model(
                "order_total",
                "select sum(amount) as total from {{ ref('stg_orders') }}",
                "table",
                "marts");

        syncOrders();

        awaitModel("order_total", m -> phase(m) == ModelStatus.Phase.SUCCESS);
        assertThat(phase(model("stg_orders"))).isEqualTo(ModelStatus.Phase.SUCCESS);
        assertThat(rows("select total from marts.order_total")).containsExactly("40.75");
        assertThat(run(model("order_total")).requestKey()).startsWith("manual:sync-");
    }

    // ---- helpers ----------------------------------------------------------------------------

    private void syncOrders() {
        cluster.connection("orders-to-warehouse", "orders", "warehouse", Schedule.manual());
        cluster.requestSync("orders-to-warehouse", "sync-req");
        cluster.awaitLastJob("orders-to-warehouse", "succeeded");
    }

    private Model model(String name, String sql, String materialization, String schema) {
        return model(name, sql, materialization, schema, List.of());
    }

    private Model model(
            String name,
            String sql,
            String materialization,
            String schema,
            List<String> dependsOn) {
        Model m = new Model();
        m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        m.setSpec(new ModelSpec());
        m.getSpec().sql = sql;
        m.getSpec().materialization =
                materialization.equals("table")
                        ? ModelSpec.Materialization.TABLE
                        : ModelSpec.Materialization.VIEW;
        m.getSpec().schema = schema;
        m.getSpec().destinationRef = ObjectRef.to("warehouse");
        m.getSpec().dependsOn = new ArrayList<>(dependsOn);
        return cluster.client.resource(m).create();
    }

    private Model model(String name) {
        return cluster.client.resources(Model.class).inNamespace(NS).withName(name).get();
    }

    /** As the API server asks: a JSON Patch of the two annotations. */
    private void requestRun(String name, String requestId, boolean cascade) {
        Model current = model(name);
        String ops =
                (current.getMetadata().getAnnotations() == null
                                ? "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{}},"
                                : "[")
                        + "{\"op\":\"add\",\"path\":\"/metadata/annotations/millrace.dev~1run-options\",\"value\":\"{\\\"cascade\\\":"
                        + cascade
                        + "}\"},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/annotations/millrace.dev~1run\",\"value\":\""
                        + requestId
                        + "\"}]";
        cluster.client
                .resources(Model.class)
                .inNamespace(NS)
                .withName(name)
                .patch(PatchContext.of(PatchType.JSON), ops);
    }

    private Model awaitModel(String name, Predicate<Model> condition) {
        try {
            await().atMost(OperatorHarness.WAIT)
                    .pollInterval(Duration.ofMillis(200))
                    .until(
                            () -> {
                                Model m = model(name);
                                return m != null && m.getStatus() != null && condition.test(m);
                            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // Say where the model got stuck: its status and what happened to it.
            throw new AssertionError(
                    "model "
                            + name
                            + " is "
                            + io.fabric8.kubernetes.client.utils.Serialization.asJson(model(name))
                            + "; events "
                            + eventReasons(name),
                    e);
        }
        return model(name);
    }

    private static ModelStatus.Phase phase(Model m) {
        return m.getStatus() == null ? null : m.getStatus().status;
    }

    private static boolean hasRunAnnotation(Model m) {
        return m.getMetadata().getAnnotations() != null
                && m.getMetadata().getAnnotations().containsKey(MillraceApi.RUN_ANNOTATION);
    }

    private static Condition ready(Model m) {
        return Conditions.find(m.getStatus().conditions, Conditions.READY).orElse(null);
    }

    private ModelRunRecord run(Model m) {
        return cluster.store.modelRuns().find(m.getStatus().lastRunId).orElseThrow();
    }

    private List<Job> modelJobs(String model) {
        return cluster.client
                .batch()
                .v1()
                .jobs()
                .inNamespace(NS)
                .withLabel(MillraceApi.MODEL_LABEL, model)
                .list()
                .getItems();
    }

    private List<String> eventReasons(String involved) {
        return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> involved.equals(e.getInvolvedObject().getName()))
                .map(Event::getReason)
                .toList();
    }

    private List<String> rows(String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (var conn =
                        DriverManager.getConnection(
                                "jdbc:duckdb:"
                                        + cluster.warehouseRoot.resolve("warehouse.duckdb"));
                Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
