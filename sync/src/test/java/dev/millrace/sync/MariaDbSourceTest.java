package dev.millrace.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.sync.plan.JdbcPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.result.StreamResult;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * MySQL/MariaDB sources against a real MariaDB server ({@link MariaDbServer}), landing in DuckDB
 * and in a real PostgreSQL: every sync mode, the cursor filter running in MariaDB, discovery, and
 * the password coming only from the environment variable the plan names.
 */
class MariaDbSourceTest {

    @RegisterExtension static final MariaDbServer MARIADB = new MariaDbServer();

    private static final String PASSWORD_ENV = "MILLRACE_SOURCE_PASSWORD";

    private static EmbeddedPostgres postgres;

    @TempDir Path tempDir;
    private SyncFixture fixture;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture(tempDir);
        // A server zone other than UTC, so that reading TIMESTAMP in UTC is shown, not assumed.
        MARIADB.execute(
                "SET GLOBAL time_zone = '+05:00'",
                // This session writes the rows below in UTC.
                "SET time_zone = '+00:00'",
                "DROP VIEW IF EXISTS big_orders",
                "DROP TABLE IF EXISTS orders",
                "CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(40), amount"
                        + " DECIMAL(10,2), updated_at DATETIME, paid_at TIMESTAMP NULL)",
                "INSERT INTO orders VALUES (1, 'ann', 10.50, '2026-01-01 10:00', '2026-01-01"
                        + " 10:00:00'), (2, 'bob', 20.00, '2026-01-02 10:00', NULL), (3, 'cy',"
                        + " 5.25, '2026-01-03 10:00', '2026-01-03 10:00:00')");
        fixture.source = source("mariadb");
        fixture.variables.put(PASSWORD_ENV, MariaDbServer.PASSWORD);
    }

    private static SourcePlan source(String driver) {
        return new SourcePlan(
                "shop",
                "jdbc",
                null,
                new JdbcPlan(
                        driver,
                        MARIADB.host(),
                        MARIADB.port(),
                        MariaDbServer.DATABASE,
                        MariaDbServer.USER,
                        PASSWORD_ENV,
                        Map.of()));
    }

    private static StreamPlan table(SyncMode mode, String cursor, String... key) {
        return new StreamPlan("orders", mode, cursor, List.of(key), null, "orders", null);
    }

    private SyncResult sync(StreamPlan stream) {
        SyncResult result = fixture.sync(fixture.plan(stream));
        assertThat(result.status()).as(result.error()).isEqualTo(SyncStatus.SUCCEEDED);
        return result;
    }

    private List<String> savedState() throws Exception {
        return fixture.rows("SELECT stream, state, job_id FROM _millrace.stream_state");
    }

    @Test
    void fullRefreshOverwriteLandsTheTableWithItsTypesInDuckDb() throws Exception {
        sync(table(SyncMode.FULL_REFRESH_OVERWRITE, null));
        MARIADB.execute("DELETE FROM orders WHERE id = 2");

        SyncResult result = sync(table(SyncMode.FULL_REFRESH_OVERWRITE, null));

        StreamResult orders = result.streams().get(0);
        assertThat(orders.rowsRead()).isEqualTo(2);
        assertThat(orders.deletes()).isEqualTo(3);
        assertThat(
                        fixture.rows(
                                "SELECT id, customer, amount, updated_at, paid_at AT TIME ZONE"
                                        + " 'UTC', _millrace_job_id FROM raw_orders.orders ORDER"
                                        + " BY id"))
                .containsExactly(
                        "1|ann|10.50|2026-01-01 10:00:00.0|2026-01-01 10:00:00.0|2",
                        "3|cy|5.25|2026-01-03 10:00:00.0|2026-01-03 10:00:00.0|2");
        assertThat(
                        fixture.rows(
                                "SELECT column_name, data_type FROM duckdb_columns() WHERE"
                                        + " table_name = 'orders' ORDER BY column_index LIMIT 5"))
                .containsExactly(
                        "id|BIGINT",
                        "customer|VARCHAR",
                        "amount|DECIMAL(10,2)",
                        "updated_at|TIMESTAMP",
                        "paid_at|TIMESTAMP WITH TIME ZONE");
    }

    @Test
    void fullRefreshAppendAppendsEveryRowEachRun() throws Exception {
        sync(table(SyncMode.FULL_REFRESH_APPEND, null));

        SyncResult second = sync(table(SyncMode.FULL_REFRESH_APPEND, null));

        assertThat(second.streams().get(0).inserts()).isEqualTo(3);
        assertThat(
                        fixture.rows(
                                "SELECT _millrace_job_id, count(*) FROM raw_orders.orders GROUP BY"
                                        + " 1 ORDER BY 1"))
                .containsExactly("1|3", "2|3");
    }

    @Test
    void incrementalAppendFiltersOnTheSavedCursorInsideMariaDb() throws Exception {
        SyncResult first = sync(table(SyncMode.INCREMENTAL_APPEND, "updated_at"));
        assertThat(first.streams().get(0).cursor()).isEqualTo("2026-01-03 10:00:00");
        // Row 5 is older than the cursor: only a filter in the source query skips it unread.
        MARIADB.execute(
                "INSERT INTO orders VALUES (4, 'dee', 7.00, '2026-01-04 10:00', NULL),"
                        + " (5, 'eve', 1.00, '2026-01-02 09:00', NULL)");

        SyncResult second = sync(table(SyncMode.INCREMENTAL_APPEND, "updated_at"));

        StreamResult orders = second.streams().get(0);
        assertThat(orders.rowsRead()).isEqualTo(1);
        assertThat(orders.inserts()).isEqualTo(1);
        assertThat(orders.cursor()).isEqualTo("2026-01-04 10:00:00");
        assertThat(fixture.rows("SELECT id, _millrace_job_id FROM raw_orders.orders ORDER BY id"))
                .containsExactly("1|1", "2|1", "3|1", "4|2");
        assertThat(savedState())
                .containsExactly(
                        "orders|{\"cursorField\":\"updated_at\",\"cursor\":\"2026-01-04"
                                + " 10:00:00\"}|2");
    }

    @Test
    void aTimestampCursorIsAnInstantWhateverTheServersTimeZone() throws Exception {
        SyncResult first = sync(table(SyncMode.INCREMENTAL_APPEND, "paid_at"));
        assertThat(first.streams().get(0).cursor()).isEqualTo("2026-01-03 10:00:00+00");
        // Written in the server's zone (+05:00): 14:30 there is 09:30 UTC, before the cursor.
        try (var connection = MARIADB.root(MariaDbServer.DATABASE);
                var statement = connection.createStatement()) {
            statement.execute("SET time_zone = '+05:00'");
            statement.execute(
                    "INSERT INTO orders VALUES (4, 'dee', 7.00, NULL, '2026-01-03 14:30:00'),"
                            + " (5, 'eve', 1.00, NULL, '2026-01-03 15:30:00')");
        }

        SyncResult second = sync(table(SyncMode.INCREMENTAL_APPEND, "paid_at"));

        StreamResult orders = second.streams().get(0);
        assertThat(orders.rowsRead()).isEqualTo(1);
        assertThat(orders.cursor()).isEqualTo("2026-01-03 10:30:00+00");
        assertThat(
                        fixture.rows(
                                "SELECT id, paid_at AT TIME ZONE 'UTC' FROM raw_orders.orders"
                                        + " WHERE id = 5"))
                .containsExactly("5|2026-01-03 10:30:00.0");
    }

    @Test
    void dedupedHistoryKeepsTheLatestRowPerKeyInPostgres() throws Exception {
        PostgresDestinationTest.usePostgres(fixture, postgres);
        sync(table(SyncMode.INCREMENTAL_DEDUPED_HISTORY, "updated_at", "id"));
        MARIADB.execute(
                "UPDATE orders SET amount = 99.00, updated_at = '2026-02-01 00:00' WHERE id = 2",
                "INSERT INTO orders VALUES (4, 'dee', 7.00, '2026-02-02 00:00', NULL)");

        SyncResult second = sync(table(SyncMode.INCREMENTAL_DEDUPED_HISTORY, "updated_at", "id"));

        StreamResult orders = second.streams().get(0);
        assertThat(orders.rowsRead()).isEqualTo(2);
        assertThat(orders.updates()).isEqualTo(1);
        assertThat(orders.inserts()).isEqualTo(1);
        assertThat(orders.cursor()).isEqualTo("2026-02-02 00:00:00");
        assertThat(fixture.rows("SELECT id, amount, updated_at FROM raw_orders.orders ORDER BY id"))
                .containsExactly(
                        "1|10.50|2026-01-01 10:00:00",
                        "2|99.00|2026-02-01 00:00:00",
                        "3|5.25|2026-01-03 10:00:00",
                        "4|7.00|2026-02-02 00:00:00");
        assertThat(savedState())
                .containsExactly(
                        "orders|{\"cursorField\":\"updated_at\",\"cursor\":\"2026-02-02"
                                + " 00:00:00\"}|2");
    }

    @Test
    void dedupedHistoryKeepsTheLatestRowPerKeyInDuckDb() throws Exception {
        sync(table(SyncMode.INCREMENTAL_DEDUPED_HISTORY, "updated_at", "id"));
        MARIADB.execute(
                "UPDATE orders SET customer = 'bo', updated_at = '2026-02-01 00:00' WHERE id = 2");

        SyncResult second = sync(table(SyncMode.INCREMENTAL_DEDUPED_HISTORY, "updated_at", "id"));

        assertThat(second.streams().get(0).updates()).isEqualTo(1);
        assertThat(fixture.rows("SELECT id, customer FROM raw_orders.orders ORDER BY id"))
                .containsExactly("1|ann", "2|bo", "3|cy");
    }

    @Test
    void aMysqlConnectorReadsTheSameWay() throws Exception {
        fixture.source = source("mysql");

        SyncResult result = sync(table(SyncMode.INCREMENTAL_APPEND, "id"));

        assertThat(result.streams().get(0).cursor()).isEqualTo("3");
        assertThat(fixture.count("raw_orders.orders")).isEqualTo(3);
    }

    @Test
    void aReadFailingMidStreamLeavesTableAndCursorUnchanged() throws Exception {
        sync(table(SyncMode.INCREMENTAL_APPEND, "id"));
        MARIADB.execute(
                "INSERT INTO orders SELECT seq, concat('c', seq), seq % 100, '2026-03-01', NULL"
                        + " FROM seq_4_to_30000");
        List<String> before = fixture.snapshot();
        // The scalar subquery returns two rows only at id 25000, after several fetches of rows
        // have been appended.
        StreamPlan failing =
                new StreamPlan(
                        "orders",
                        SyncMode.INCREMENTAL_APPEND,
                        "id",
                        List.of(),
                        null,
                        null,
                        "SELECT id, customer, amount, (SELECT seq FROM seq_1_to_2 WHERE id = 25000"
                                + " OR seq = 1) AS boom FROM orders ORDER BY id");

        SyncResult result = fixture.sync(fixture.plan(failing));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error()).contains("stream orders").contains("more than 1 row");
        assertThat(fixture.snapshot()).isEqualTo(before);
    }

    @Test
    void aWrongPasswordFailsWithoutShowingIt() throws Exception {
        fixture.variables.put(PASSWORD_ENV, "not-the-password-1234");

        SyncResult result =
                fixture.sync(fixture.plan(table(SyncMode.FULL_REFRESH_OVERWRITE, null)));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error())
                .contains("Access denied for user 'reader'")
                .doesNotContain("not-the-password-1234");
        assertThat(String.join("\n", fixture.log)).doesNotContain("not-the-password-1234");
    }

    @Test
    void aMissingPasswordVariableFailsWithItsName() {
        fixture.variables.clear();

        SyncResult result =
                fixture.sync(fixture.plan(table(SyncMode.FULL_REFRESH_OVERWRITE, null)));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error()).contains(PASSWORD_ENV);
    }

    @Test
    void discoveryListsOnlyTheConnectedDatabaseWithKeysAndCursorCandidates() throws Exception {
        MARIADB.execute("CREATE VIEW big_orders AS SELECT * FROM orders WHERE amount > 10");
        String plan =
                "{\"source\": {\"name\": \"shop\", \"type\": \"jdbc\", \"jdbc\": {\"driver\":"
                        + " \"mariadb\", \"host\": \"127.0.0.1\", \"port\": "
                        + MARIADB.port()
                        + ", \"database\": \"shop\", \"username\": \"reader\","
                        + " \"passwordEnv\": \"PW\"}}}";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int exit =
                SyncMain.run(
                        new String[] {"--discover", "--plan", plan},
                        Map.of("PW", MariaDbServer.PASSWORD),
                        new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        JsonNode streams = new ObjectMapper().readTree(out).path("streams");
        assertThat(streams.findValuesAsText("table")).containsExactly("big_orders", "orders");
        JsonNode orders = streams.get(1);
        assertThat(orders.path("kind").asText()).isEqualTo("table");
        assertThat(streams.get(0).path("kind").asText()).isEqualTo("view");
        assertThat(orders.path("primaryKey").toString()).isEqualTo("[\"id\"]");
        assertThat(orders.path("cursorCandidates").toString())
                .isEqualTo("[\"id\",\"amount\",\"updated_at\",\"paid_at\"]");
        assertThat(orders.path("columns").toString())
                .isEqualTo(
                        "[{\"name\":\"id\",\"sourceType\":\"INT\",\"type\":\"BIGINT\",\"nullable\":false},"
                            + "{\"name\":\"customer\",\"sourceType\":\"VARCHAR\",\"type\":\"VARCHAR\",\"nullable\":true},"
                            + "{\"name\":\"amount\",\"sourceType\":\"DECIMAL\",\"type\":\"DECIMAL(10,2)\",\"nullable\":true},"
                            + "{\"name\":\"updated_at\",\"sourceType\":\"DATETIME\",\"type\":\"TIMESTAMP\",\"nullable\":true},"
                            + "{\"name\":\"paid_at\",\"sourceType\":\"TIMESTAMP\",\"type\":\"TIMESTAMP"
                            + " WITH TIME ZONE\",\"nullable\":true}]");
        assertThat(out).doesNotContain(MariaDbServer.PASSWORD);
    }
}
