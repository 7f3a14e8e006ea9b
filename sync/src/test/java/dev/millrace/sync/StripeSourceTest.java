package dev.millrace.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.sync.plan.InvalidPlanException;
import dev.millrace.sync.plan.PlanJson;
import dev.millrace.sync.plan.RestPlan;
import dev.millrace.sync.plan.RestPlan.RestAuthPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.plan.SyncPlan;
import dev.millrace.sync.result.StreamResult;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stripe preset against a loopback server that pages like Stripe's list API. */
class StripeSourceTest {

    private static final String SECRET = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
    private static final String KEY_ENV = "MILLRACE_SOURCE_SECRET";

    @TempDir Path tempDir;
    private SyncFixture fixture;
    private FakeApi api;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture(tempDir);
        api = new FakeApi();
        api.stripeKey = SECRET;
        fixture.variables.put(KEY_ENV, SECRET);
        fixture.source =
                SourcePlan.rest(
                        "stripe_payments",
                        SourcePlan.STRIPE,
                        new RestPlan(
                                api.stripeUrl(),
                                new RestAuthPlan(RestAuthPlan.BEARER, KEY_ENV, null, null, null),
                                null,
                                null,
                                null,
                                null));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    private static StreamPlan stripeStream(String name, SyncMode mode) {
        return StreamPlan.rest(name, mode, "created", List.of("id"), null);
    }

    private void charges(int from, int to, long createdBase) {
        for (int i = from; i <= to; i++) {
            api.stripeObject("charges", String.format("ch_%05d", i), createdBase + i, 100L * i);
        }
    }

    @Test
    void chargesArePagedWithStartingAfterUntilHasMoreIsFalseThroughA429AndA500() throws Exception {
        charges(1, 250, 1_700_000_000L);
        api.failNext("/v1/charges", 429, Map.of("Retry-After", "1"), "{\"error\":\"rate\"}");
        api.failNext("/v1/charges", 500, Map.of(), "{\"error\":\"boom\"}");

        SyncResult result =
                fixture.sync(fixture.plan(stripeStream("charges", SyncMode.INCREMENTAL_APPEND)));

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        StreamResult charges = result.streams().get(0);
        assertThat(charges.rowsRead()).isEqualTo(250);
        assertThat(charges.inserts()).isEqualTo(250);
        assertThat(charges.cursor()).isEqualTo("1700000250");
        assertThat(fixture.count("raw_orders.charges")).isEqualTo(250);
        assertThat(
                        fixture.rows(
                                "SELECT count(DISTINCT id), min(amount), max(amount) FROM"
                                        + " raw_orders.charges"))
                .containsExactly("250|100|25000");
        // Two failed attempts, then three pages of 100, 100 and 50.
        List<FakeApi.Request> requests = api.requestsTo("/v1/charges");
        assertThat(requests).hasSize(5);
        assertThat(requests.get(2).params())
                .containsEntry("limit", "100")
                .doesNotContainKey("starting_after");
        assertThat(requests.get(3).params()).containsEntry("starting_after", "ch_00151");
        assertThat(requests.get(4).params()).containsEntry("starting_after", "ch_00051");
        assertThat(requests)
                .allSatisfy(
                        r ->
                                assertThat(r.headers())
                                        .containsEntry("Authorization", "Bearer " + SECRET));
        assertThat(fixture.log)
                .anyMatch(line -> line.contains("429 Too Many Requests; retry 1 of 5 in 1000 ms"));
        assertThat(fixture.log)
                .anyMatch(line -> line.contains("500 {\"error\":\"boom\"}; retry 2 of 5"));
    }

    @Test
    void secondIncrementalRunAsksOnlyForChargesCreatedSinceTheCursor() throws Exception {
        charges(1, 30, 1_700_000_000L);
        fixture.sync(fixture.plan(stripeStream("charges", SyncMode.INCREMENTAL_APPEND)));
        charges(31, 33, 1_700_000_000L);
        api.requests.clear();

        SyncResult second =
                fixture.sync(fixture.plan(stripeStream("charges", SyncMode.INCREMENTAL_APPEND)));

        assertThat(api.requestsTo("/v1/charges"))
                .singleElement()
                .satisfies(r -> assertThat(r.params()).containsEntry("created[gte]", "1700000030"));
        // created[gte] sends the boundary charge again; the cursor keeps it from landing twice.
        assertThat(second.streams().get(0).rowsRead()).isEqualTo(4);
        assertThat(second.streams().get(0).inserts()).isEqualTo(3);
        assertThat(second.streams().get(0).cursor()).isEqualTo("1700000033");
        assertThat(fixture.rows("SELECT count(*), count(DISTINCT id) FROM raw_orders.charges"))
                .containsExactly("33|33");
        assertThat(
                        fixture.rows(
                                "SELECT max(_millrace_job_id) FROM raw_orders.charges WHERE id ="
                                        + " 'ch_00033'"))
                .containsExactly("2");
    }

    @Test
    void nestedObjectsLandAsJsonAndScalarsAsTheirTypes() throws Exception {
        charges(1, 3, 1_700_000_000L);

        fixture.sync(fixture.plan(stripeStream("charges", SyncMode.FULL_REFRESH_OVERWRITE)));

        assertThat(
                        fixture.rows(
                                "SELECT column_name, data_type FROM duckdb_columns() WHERE"
                                        + " table_name = 'charges' AND column_name NOT LIKE"
                                        + " '\\_millrace%' ESCAPE '\\' ORDER BY column_index"))
                .containsExactly(
                        "id|VARCHAR",
                        "object|VARCHAR",
                        "created|BIGINT",
                        "amount|BIGINT",
                        "currency|VARCHAR",
                        "livemode|BOOLEAN",
                        "metadata|JSON");
        assertThat(
                        fixture.rows(
                                "SELECT metadata->>'order' FROM raw_orders.charges WHERE id ="
                                        + " 'ch_00002'"))
                .containsExactly("o-ch_00002");
    }

    @Test
    void severalStripeListsLandInOneTransactionWithCountsPerStream() throws Exception {
        charges(1, 5, 1_700_000_000L);
        for (int i = 1; i <= 7; i++) {
            api.stripeObject("customers", "cus_" + i, 1_690_000_000L + i, 0);
        }
        api.stripeObject("subscriptions", "sub_1", 1_695_000_000L, 900);

        SyncResult result =
                fixture.sync(
                        fixture.plan(
                                stripeStream("charges", SyncMode.INCREMENTAL_APPEND),
                                stripeStream("customers", SyncMode.INCREMENTAL_DEDUPED_HISTORY),
                                stripeStream("subscriptions", SyncMode.FULL_REFRESH_OVERWRITE)));

        assertThat(result.streams())
                .extracting(StreamResult::name, StreamResult::inserts, StreamResult::tableRowCount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("charges", 5L, 5L),
                        org.assertj.core.groups.Tuple.tuple("customers", 7L, 7L),
                        org.assertj.core.groups.Tuple.tuple("subscriptions", 1L, 1L));
        // Stripe leaves cancelled subscriptions out unless asked for all of them.
        assertThat(api.requestsTo("/v1/subscriptions").get(0).params())
                .containsEntry("status", "all");
        assertThat(fixture.rows("SELECT stream, state FROM _millrace.stream_state ORDER BY stream"))
                .anyMatch(row -> row.startsWith("charges|") && row.contains("1700000005"))
                .anyMatch(row -> row.startsWith("customers|") && row.contains("1690000007"));
    }

    @Test
    void aFailingListRollsBackEveryStreamAndKeepsTheCursor() throws Exception {
        charges(1, 5, 1_700_000_000L);
        fixture.sync(fixture.plan(stripeStream("charges", SyncMode.INCREMENTAL_APPEND)));
        List<String> before = fixture.rows("SELECT * FROM raw_orders.charges ORDER BY id");
        charges(6, 8, 1_700_000_000L);
        for (int attempt = 0; attempt <= 5; attempt++) {
            api.failNext("/v1/charges", 503, Map.of("Retry-After", "0"), "{\"error\":\"down\"}");
        }
        api.requests.clear();

        SyncResult result =
                fixture.sync(fixture.plan(stripeStream("charges", SyncMode.INCREMENTAL_APPEND)));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error()).contains("failed after 6 attempt(s)").contains("503");
        assertThat(api.requestsTo("/v1/charges")).hasSize(6);
        assertThat(fixture.rows("SELECT * FROM raw_orders.charges ORDER BY id")).isEqualTo(before);
    }

    @Test
    void theSecretKeyNeverAppearsInThePlanTheResultOrTheLog() throws Exception {
        charges(1, 3, 1_700_000_000L);
        api.failNext("/v1/charges", 500, Map.of(), "{\"echo\":\"Bearer " + SECRET + "\"}");
        SyncPlan plan = fixture.plan(stripeStream("charges", SyncMode.INCREMENTAL_APPEND));
        String planJson = PlanJson.write(plan);
        Map<String, String> env = new HashMap<>(fixture.variables);
        env.put(SyncEnvironment.DATA_ROOT, fixture.dataRoot.toString());
        env.put(SyncEnvironment.WAREHOUSE_ROOT, fixture.warehouseRoot.toString());
        env.put(SyncMain.TERMINATION_LOG, tempDir.resolve("termination-log").toString());
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        int exit =
                SyncMain.run(
                        new String[] {"--plan", planJson},
                        env,
                        new PrintStream(output, true, StandardCharsets.UTF_8));
        // A wrong key: Stripe's 401 body echoes what it was given.
        api.stripeKey = "sk_test_other";
        int failedExit =
                SyncMain.run(
                        new String[] {"--plan", planJson},
                        env,
                        new PrintStream(output, true, StandardCharsets.UTF_8));

        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        assertThat(failedExit).isEqualTo(SyncMain.EXIT_FAILED);
        assertThat(printed).contains("\"status\":\"succeeded\"").contains("answered 401");
        assertThat(printed).contains("Bearer ****");
        assertThat(planJson).doesNotContain(SECRET).contains(KEY_ENV);
        assertThat(printed).doesNotContain(SECRET);
        assertThat(fixture.log).noneMatch(line -> line.contains(SECRET));
        assertThat(java.nio.file.Files.readString(tempDir.resolve("termination-log")))
                .contains("answered 401")
                .doesNotContain(SECRET);
    }

    @Test
    void discoveryDescribesStripeListsWithKeysAndCursorCandidates() throws Exception {
        charges(1, 2, 1_700_000_000L);
        String plan =
                PlanJson.write(fixture.plan(stripeStream("charges", SyncMode.INCREMENTAL_APPEND)));
        Map<String, String> env = Map.of(KEY_ENV, SECRET);
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        int exit =
                SyncMain.run(
                        new String[] {"--discover", "--plan", plan},
                        env,
                        new PrintStream(output, true, StandardCharsets.UTF_8));

        assertThat(exit).isZero();
        JsonNode catalog = FakeApi.parse(output.toString(StandardCharsets.UTF_8));
        JsonNode charges = catalog.at("/streams/0");
        assertThat(charges.get("name").asText()).isEqualTo("charges");
        assertThat(charges.get("schema").asText()).isEqualTo("discovered");
        assertThat(charges.at("/primaryKey/0").asText()).isEqualTo("id");
        assertThat(charges.at("/cursorCandidates/0").asText()).isEqualTo("created");
        assertThat(charges.get("columns").toString())
                .contains("{\"name\":\"created\",\"type\":\"BIGINT\"}")
                .contains("{\"name\":\"metadata\",\"type\":\"JSON\"}");
        assertThat(output.toString(StandardCharsets.UTF_8)).doesNotContain(SECRET);
        assertThat(api.requestsTo("/v1/charges"))
                .singleElement()
                .satisfies(r -> assertThat(r.params()).containsEntry("limit", "100"));
    }

    @Test
    void aStripeListThePresetDoesNotKnowIsRefusedByThePlan() {
        assertThatThrownBy(
                        () ->
                                fixture.sync(
                                        fixture.plan(
                                                stripeStream(
                                                        "widgets",
                                                        SyncMode.FULL_REFRESH_OVERWRITE))))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("streams[0].name: \"widgets\" is not a known Stripe list");
        assertThat(api.requests).isEmpty();
    }
}
