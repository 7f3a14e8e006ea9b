package dev.millrace.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.plan.RestPlan;
import dev.millrace.sync.plan.RestPlan.RestAuthPlan;
import dev.millrace.sync.plan.RestStreamPlan;
import dev.millrace.sync.plan.RestStreamPlan.PaginationPlan;
import dev.millrace.sync.plan.RestStreamPlan.RestColumn;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Declarative rest streams against a loopback API, one test per paging style and auth kind. */
class RestSourceTest {

    private static final String SECRET_ENV = "MILLRACE_SOURCE_SECRET";
    private static final String SECRET = "s3cr3t-Value/with+chars";

    @TempDir Path tempDir;
    private SyncFixture fixture;
    private FakeApi api;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture(tempDir);
        api = new FakeApi();
        fixture.variables.put(SECRET_ENV, SECRET);
        for (int id = 1; id <= 25; id++) {
            api.item(id, "item " + id, String.format("2026-01-01T00:00:%02dZ", id));
        }
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    private void source(RestAuthPlan auth) {
        source(auth, null, null);
    }

    private void source(RestAuthPlan auth, Double requestsPerSecond, Integer timeoutSeconds) {
        fixture.source =
                SourcePlan.rest(
                        "shop",
                        SourcePlan.REST,
                        new RestPlan(
                                api.baseUrl() + "/api",
                                auth,
                                Map.of("X-Tenant", "acme"),
                                requestsPerSecond,
                                2,
                                timeoutSeconds));
    }

    private static PaginationPlan paging(
            String type, String limitParam, String nextCursorPath, String pageParam) {
        return new PaginationPlan(
                type, 10, limitParam, "cursor", null, nextCursorPath, null, null, pageParam, null);
    }

    private static StreamPlan items(
            SyncMode mode, String path, String recordsPath, PaginationPlan paging) {
        return StreamPlan.rest(
                "items",
                mode,
                "updated_at",
                List.of("id"),
                new RestStreamPlan(path, recordsPath, paging, null, "since", null));
    }

    private List<String> ids() throws Exception {
        return fixture.rows("SELECT id FROM raw_orders.items ORDER BY id");
    }

    @Test
    void offsetPagingWithBasicAuthReadsEveryPage() throws Exception {
        api.basicUser = "reader";
        api.basicPassword = SECRET;
        source(new RestAuthPlan(RestAuthPlan.BASIC, SECRET_ENV, "reader", null, null));

        SyncResult result =
                fixture.sync(
                        items(
                                SyncMode.FULL_REFRESH_OVERWRITE,
                                "/offset/items",
                                "/payload/items",
                                paging(PaginationPlan.OFFSET, "limit", null, null)));

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(fixture.count("raw_orders.items")).isEqualTo(25);
        assertThat(api.requestsTo("/api/offset/items"))
                .extracting(r -> r.params().get("offset"))
                .containsExactly("0", "10", "20");
        // Pages were fetched on a background thread, which ended with the read.
        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .noneMatch(name -> name.startsWith("millrace-rest-pages-"));
    }

    @Test
    void interruptingASyncWaitingForAPageCancelsItAndStopsThePageThread() throws Exception {
        source(new RestAuthPlan(RestAuthPlan.BASIC, SECRET_ENV, "reader", null, null));
        api.basicUser = "reader";
        api.basicPassword = SECRET;
        // The first page hangs, as from an API that stopped answering.
        api.delayNext("/api/offset/items", 20_000);
        java.util.concurrent.atomic.AtomicReference<SyncResult> result =
                new java.util.concurrent.atomic.AtomicReference<>();
        var plan =
                fixture.plan(
                        items(
                                SyncMode.FULL_REFRESH_OVERWRITE,
                                "/offset/items",
                                "/payload/items",
                                paging(PaginationPlan.OFFSET, "limit", null, null)));
        Thread syncThread =
                new Thread(
                        () ->
                                result.set(
                                        new SyncRunner(fixture.log::add)
                                                .run(plan, fixture.environment())),
                        "sync-under-test");
        syncThread.start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (api.requestsTo("/api/offset/items").isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        assertThat(api.requestsTo("/api/offset/items")).hasSize(1);

        syncThread.interrupt();
        syncThread.join(30_000);

        assertThat(syncThread.isAlive()).isFalse();
        assertThat(result.get().status()).isEqualTo(SyncStatus.CANCELLED);
        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .noneMatch(name -> name.startsWith("millrace-rest-pages-"));
        assertThat(fixture.tableExists(SyncFixture.SCHEMA, "items")).isFalse();
    }

    @Test
    void recordsLandInPageOrderAcrossPrefetchedPages() throws Exception {
        source(new RestAuthPlan(RestAuthPlan.BASIC, SECRET_ENV, "reader", null, null));
        api.basicUser = "reader";
        api.basicPassword = SECRET;

        SyncResult result =
                fixture.sync(
                        items(
                                SyncMode.FULL_REFRESH_APPEND,
                                "/offset/items",
                                "/payload/items",
                                paging(PaginationPlan.OFFSET, "limit", null, null)));

        assertThat(result.status()).as(result.error()).isEqualTo(SyncStatus.SUCCEEDED);
        // The staged order is the order the records were appended in (rowid).
        List<String> ids = fixture.rows("SELECT id FROM raw_orders.items ORDER BY rowid");
        assertThat(ids)
                .hasSize(25)
                .isSortedAccordingTo(java.util.Comparator.comparingLong(Long::parseLong));
    }

    @Test
    void pagePagingWithAnApiKeyHeaderStopsAtTheShortPage() throws Exception {
        api.apiKeyHeader = SECRET;
        source(new RestAuthPlan(RestAuthPlan.API_KEY, SECRET_ENV, null, "X-Api-Key", null));

        fixture.sync(
                items(
                        SyncMode.FULL_REFRESH_OVERWRITE,
                        "/page/items",
                        "/payload/items",
                        paging(PaginationPlan.PAGE, "per_page", null, "page")));

        assertThat(fixture.count("raw_orders.items")).isEqualTo(25);
        assertThat(api.requestsTo("/api/page/items"))
                .extracting(r -> r.params().get("page") + "/" + r.params().get("per_page"))
                .containsExactly("1/10", "2/10", "3/10");
    }

    @Test
    void linkHeaderPagingWithAnApiKeyInTheQueryKeepsTheKeyOutOfTheLog() throws Exception {
        api.apiKeyQuery = SECRET;
        source(new RestAuthPlan(RestAuthPlan.API_KEY, SECRET_ENV, null, null, "api_key"));
        api.failNext("/api/link/items", 502, Map.of(), "{\"error\":\"bad gateway\"}");

        SyncResult result =
                fixture.sync(
                        items(
                                SyncMode.FULL_REFRESH_OVERWRITE,
                                "/link/items",
                                null,
                                paging(PaginationPlan.LINK, "limit", null, null)));

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(fixture.count("raw_orders.items")).isEqualTo(25);
        // The failed attempt, then three pages; the next links carry no key, the source adds it.
        assertThat(api.requestsTo("/api/link/items"))
                .extracting(r -> r.params().get("cursor") + ":" + r.params().get("api_key"))
                .containsExactly(
                        "null:" + SECRET, "null:" + SECRET, "10:" + SECRET, "20:" + SECRET);
        assertThat(fixture.log).anyMatch(line -> line.contains("api_key=****"));
        assertThat(fixture.log).noneMatch(line -> line.contains(SECRET));
        assertThat(fixture.log)
                .noneMatch(
                        line ->
                                line.contains(
                                        java.net.URLEncoder.encode(
                                                SECRET, java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(result.toJson()).doesNotContain(SECRET);
    }

    @Test
    void cursorPagingFollowsTheNextCursorInTheBodyWithABearerToken() throws Exception {
        api.bearerToken = SECRET;
        source(new RestAuthPlan(RestAuthPlan.BEARER, SECRET_ENV, null, null, null));

        fixture.sync(
                items(
                        SyncMode.FULL_REFRESH_OVERWRITE,
                        "/cursor/items",
                        "/results",
                        paging(PaginationPlan.CURSOR, "limit", "/meta/next", null)));

        assertThat(fixture.count("raw_orders.items")).isEqualTo(25);
        assertThat(api.requestsTo("/api/cursor/items"))
                .extracting(r -> r.params().get("cursor"))
                .containsExactly(null, "10", "20");
    }

    @Test
    void incrementalDedupedUpdatesAChangedRecordAndAsksOnlySinceTheCursor() throws Exception {
        source(null);
        StreamPlan stream =
                items(
                        SyncMode.INCREMENTAL_DEDUPED_HISTORY,
                        "/offset/items",
                        "/payload/items",
                        paging(PaginationPlan.OFFSET, "limit", null, null));
        fixture.sync(stream);
        api.list("items").stream()
                .filter(item -> item.get("id").asLong() == 7)
                .findFirst()
                .orElseThrow()
                .put("name", "renamed")
                .put("updated_at", "2026-01-02T00:00:00Z");
        api.requests.clear();

        SyncResult second = fixture.sync(stream);

        assertThat(api.requestsTo("/api/offset/items"))
                .singleElement()
                .satisfies(
                        r -> assertThat(r.params()).containsEntry("since", "2026-01-01T00:00:25Z"));
        // since= is inclusive: the boundary record comes again and is rewritten unchanged.
        assertThat(second.streams().get(0).rowsRead()).isEqualTo(2);
        assertThat(second.streams().get(0).updates()).isEqualTo(2);
        assertThat(fixture.rows("SELECT name FROM raw_orders.items WHERE id = 7"))
                .containsExactly("renamed");
        assertThat(fixture.count("raw_orders.items")).isEqualTo(25);
        assertThat(second.streams().get(0).cursor()).isEqualTo("2026-01-02T00:00:00Z");
    }

    @Test
    void fullRefreshAppendAddsEveryRecordAgainAndOverwriteReplacesThem() throws Exception {
        source(null);
        PaginationPlan offset = paging(PaginationPlan.OFFSET, "limit", null, null);
        fixture.sync(
                items(SyncMode.FULL_REFRESH_APPEND, "/offset/items", "/payload/items", offset));
        fixture.sync(
                items(SyncMode.FULL_REFRESH_APPEND, "/offset/items", "/payload/items", offset));
        assertThat(fixture.count("raw_orders.items")).isEqualTo(50);

        SyncResult overwrite =
                fixture.sync(
                        items(
                                SyncMode.FULL_REFRESH_OVERWRITE,
                                "/offset/items",
                                "/payload/items",
                                offset));

        assertThat(overwrite.streams().get(0).deletes()).isEqualTo(50);
        assertThat(fixture.count("raw_orders.items")).isEqualTo(25);
    }

    @Test
    void incrementalAppendWithNothingNewLandsNothingAndKeepsTheCursor() throws Exception {
        source(null);
        StreamPlan stream =
                items(
                        SyncMode.INCREMENTAL_APPEND,
                        "/offset/items",
                        "/payload/items",
                        paging(PaginationPlan.OFFSET, "limit", null, null));
        fixture.sync(stream);
        api.list("items").clear();

        SyncResult second = fixture.sync(stream);

        assertThat(second.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(second.streams().get(0).rowsRead()).isZero();
        assertThat(second.streams().get(0).cursor()).isEqualTo("2026-01-01T00:00:25Z");
        assertThat(fixture.count("raw_orders.items")).isEqualTo(25);
    }

    @Test
    void aDeclaredSchemaLandsTypedColumnsAndIgnoresOtherFields() throws Exception {
        source(null);
        StreamPlan stream =
                StreamPlan.rest(
                        "items",
                        SyncMode.FULL_REFRESH_OVERWRITE,
                        null,
                        List.of(),
                        new RestStreamPlan(
                                "/offset/items",
                                "/payload/items",
                                paging(PaginationPlan.OFFSET, "limit", null, null),
                                null,
                                null,
                                List.of(
                                        new RestColumn("id", "bigint"),
                                        new RestColumn("price", "decimal(10,2)"),
                                        new RestColumn("updated_at", "timestamptz"),
                                        new RestColumn("tags", "json"))));

        fixture.sync(stream);

        assertThat(
                        fixture.rows(
                                "SELECT column_name, data_type FROM duckdb_columns() WHERE"
                                        + " table_name = 'items' AND column_name NOT LIKE"
                                        + " '\\_millrace%' ESCAPE '\\' ORDER BY column_index"))
                .containsExactly(
                        "id|BIGINT",
                        "price|DECIMAL(10,2)",
                        "updated_at|TIMESTAMP WITH TIME ZONE",
                        "tags|JSON");
        assertThat(
                        fixture.rows(
                                "SELECT price, epoch(updated_at)::BIGINT, tags->>0 FROM"
                                        + " raw_orders.items WHERE id = 3"))
                .containsExactly("4.50|1767225603|t3");
    }

    @Test
    void aDiscoveredFieldWhoseValuesDisagreeIsWidened() throws Exception {
        source(null);
        api.list("items").get(20).put("price", "on request");
        api.list("items").get(22).putNull("name");

        fixture.sync(
                items(
                        SyncMode.FULL_REFRESH_OVERWRITE,
                        "/offset/items",
                        "/payload/items",
                        paging(PaginationPlan.OFFSET, "limit", null, null)));

        assertThat(
                        fixture.rows(
                                "SELECT column_name, data_type FROM duckdb_columns() WHERE"
                                        + " table_name = 'items' AND column_name IN ('id', 'price',"
                                        + " 'tags') ORDER BY column_name"))
                .containsExactly("id|BIGINT", "price|VARCHAR", "tags|JSON");
        assertThat(
                        fixture.rows(
                                "SELECT price, name FROM raw_orders.items WHERE id IN (2, 21, 23)"
                                        + " ORDER BY id"))
                .containsExactly("3.0|item 2", "on request|item 21", "34.5|null");
    }

    @Test
    void theRequestBudgetSpacesRequests() throws Exception {
        source(null, 10.0, null);
        long started = System.nanoTime();

        fixture.sync(
                items(
                        SyncMode.FULL_REFRESH_OVERWRITE,
                        "/offset/items",
                        "/payload/items",
                        paging(PaginationPlan.OFFSET, "limit", null, null)));

        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        // Three requests at ten a second: the third starts no sooner than 200 ms after the first.
        assertThat(api.requestsTo("/api/offset/items")).hasSize(3);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(200);
    }

    @Test
    void aRequestThatTimesOutIsRetried() throws Exception {
        source(null, null, 1);
        api.delayNext("/api/offset/items", 2_500);

        SyncResult result =
                fixture.sync(
                        items(
                                SyncMode.FULL_REFRESH_OVERWRITE,
                                "/offset/items",
                                "/payload/items",
                                paging(PaginationPlan.OFFSET, "limit", null, null)));

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(fixture.count("raw_orders.items")).isEqualTo(25);
        assertThat(fixture.log)
                .anyMatch(line -> line.contains("timed out after 1 s; retry 1 of 2"));
    }

    @Test
    void aWrongCredentialFailsWithoutRetryingAndWritesNothing() throws Exception {
        api.bearerToken = "the-right-one";
        source(new RestAuthPlan(RestAuthPlan.BEARER, SECRET_ENV, null, null, null));

        SyncResult result =
                fixture.sync(
                        items(
                                SyncMode.FULL_REFRESH_OVERWRITE,
                                "/offset/items",
                                "/payload/items",
                                paging(PaginationPlan.OFFSET, "limit", null, null)));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error()).contains("answered 401");
        assertThat(api.requestsTo("/api/offset/items")).hasSize(1);
        assertThat(fixture.tableExists("raw_orders", "items")).isFalse();
    }

    @Test
    void discoveryTypesDiscoveredColumnsAndOffersTimestampLikeCursorsOnlyWhenDeclared()
            throws Exception {
        source(null);
        StreamPlan discovered =
                items(
                        SyncMode.FULL_REFRESH_OVERWRITE,
                        "/offset/items",
                        "/payload/items",
                        paging(PaginationPlan.OFFSET, "limit", null, null));
        StreamPlan declared =
                StreamPlan.rest(
                        "priced",
                        SyncMode.FULL_REFRESH_OVERWRITE,
                        null,
                        List.of(),
                        new RestStreamPlan(
                                "/offset/items",
                                "/payload/items",
                                null,
                                null,
                                null,
                                List.of(
                                        new RestColumn("id", "bigint"),
                                        new RestColumn("updated_at", "timestamptz"))));
        String plan = dev.millrace.sync.plan.PlanJson.write(fixture.plan(discovered, declared));
        java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream();

        int exit =
                SyncMain.run(
                        new String[] {"--discover", "--plan", plan},
                        Map.of(),
                        new java.io.PrintStream(
                                output, true, java.nio.charset.StandardCharsets.UTF_8));

        assertThat(exit).isZero();
        com.fasterxml.jackson.databind.JsonNode catalog =
                FakeApi.parse(output.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(catalog.at("/streams/0/columns").toString())
                .isEqualTo(
                        "[{\"name\":\"id\",\"type\":\"BIGINT\"},"
                                + "{\"name\":\"name\",\"type\":\"VARCHAR\"},"
                                + "{\"name\":\"updated_at\",\"type\":\"VARCHAR\"},"
                                + "{\"name\":\"price\",\"type\":\"DOUBLE\"},"
                                + "{\"name\":\"tags\",\"type\":\"JSON\"}]");
        assertThat(catalog.at("/streams/0/primaryKey/0").asText()).isEqualTo("id");
        assertThat(catalog.at("/streams/0/sampledRecords").asLong()).isEqualTo(10);
        // The stream names its cursor; as text it is not offered among the candidates.
        assertThat(catalog.at("/streams/0/cursorField").asText()).isEqualTo("updated_at");
        assertThat(catalog.at("/streams/0/cursorCandidates").toString())
                .isEqualTo("[\"id\",\"price\"]");
        assertThat(catalog.at("/streams/1/schema").asText()).isEqualTo("declared");
        assertThat(catalog.at("/streams/1/cursorCandidates").toString())
                .isEqualTo("[\"id\",\"updated_at\"]");
        assertThat(catalog.at("/streams/1/primaryKey/0").asText()).isEqualTo("id");
    }

    @Test
    void aPageWithoutTheRecordsArrayFailsTheSync() throws Exception {
        source(null);

        SyncResult result =
                fixture.sync(
                        items(
                                SyncMode.FULL_REFRESH_OVERWRITE,
                                "/offset/items",
                                "/data",
                                paging(PaginationPlan.OFFSET, "limit", null, null)));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error()).contains("has no records array at /data");
    }
}
