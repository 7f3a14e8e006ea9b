package dev.millrace.sync;

import static dev.millrace.sync.SyncFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.destination.parquet.ParquetManifest;
import dev.millrace.sync.plan.DestinationPlan;
import dev.millrace.sync.plan.JdbcPlan;
import dev.millrace.sync.plan.ParquetPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.result.StreamResult;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Parquet folder as destination: files named by job, published by the manifest's rename. */
class ParquetDestinationTest {

    private static final String HEADER = "order_id,customer,amount,order_date";

    @TempDir Path tempDir;
    private SyncFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture(tempDir);
        fixture.destination =
                DestinationPlan.parquet(
                        "lake", new ParquetPlan("lake", List.of()), SyncFixture.SCHEMA);
    }

    private SyncResult sync(StreamPlan stream) {
        SyncResult result = fixture.sync(fixture.plan(stream));
        assertThat(result.status())
                .as(String.valueOf(result.error()))
                .isEqualTo(SyncStatus.SUCCEEDED);
        return result;
    }

    private ParquetManifest manifest() throws Exception {
        return ParquetManifest.read(fixture.parquetSchemaFolder());
    }

    private List<String> files() throws Exception {
        return manifest().streams().get("orders").files();
    }

    @Test
    void overwriteWritesANewGenerationAndSweepsTheOneBeforeTheLast() throws Exception {
        fixture.writeCsv("a.csv", HEADER, "1,ann,10.50,2026-01-03", "2,bob,20.00,2026-01-10");
        sync(stream(SyncMode.FULL_REFRESH_OVERWRITE));
        List<String> first = files();
        fixture.writeCsv("a.csv", HEADER, "1,ann,11.00,2026-01-03");

        StreamResult second = sync(stream(SyncMode.FULL_REFRESH_OVERWRITE)).streams().get(0);

        assertThat(second.inserts()).isEqualTo(1);
        assertThat(second.deletes()).isEqualTo(2);
        assertThat(second.tableRowCount()).isEqualTo(1);
        assertThat(second.rowsWritten()).isEqualTo(1);
        assertThat(second.bytes()).isPositive();
        assertThat(second.durationSeconds()).isNotNull().isNotNegative();
        assertThat(files()).hasSize(1).allMatch(file -> file.startsWith("orders/job-2-"));
        assertThat(manifest().retired()).isEqualTo(first);
        // Kept for a reader still holding the previous manifest, gone after the next commit.
        assertThat(fixture.parquetSchemaFolder().resolve(first.get(0))).exists();
        assertThat(fixture.rows("SELECT order_id, amount FROM raw_orders.orders"))
                .containsExactly("1|11.0");

        sync(stream(SyncMode.FULL_REFRESH_OVERWRITE));
        assertThat(fixture.parquetSchemaFolder().resolve(first.get(0))).doesNotExist();
    }

    @Test
    void appendAddsFilesAndKeepsTheOldOnes() throws Exception {
        fixture.writeCsv("a.csv", HEADER, "1,ann,10.50,2026-01-03");
        sync(stream(SyncMode.FULL_REFRESH_APPEND));
        List<String> first = files();

        StreamResult second = sync(stream(SyncMode.FULL_REFRESH_APPEND)).streams().get(0);

        assertThat(second.inserts()).isEqualTo(1);
        assertThat(files()).hasSize(2).containsAll(first);
        assertThat(fixture.rows("SELECT _millrace_job_id FROM raw_orders.orders ORDER BY 1"))
                .containsExactly("1", "2");
    }

    @Test
    void incrementalAppendKeepsItsCursorInTheManifest() throws Exception {
        StreamPlan incremental = stream(SyncMode.INCREMENTAL_APPEND, "order_date");
        fixture.writeCsv("a.csv", HEADER, "1,ann,10.50,2026-01-03", "2,bob,20.00,2026-01-10");
        sync(incremental);
        assertThat(manifest().state())
                .singleElement()
                .satisfies(row -> assertThat(row.state()).contains("\"cursor\":\"2026-01-10\""));
        // An overlapping export: only the row past the cursor lands.
        fixture.writeCsv("b.csv", HEADER, "2,bob,20.00,2026-01-10", "3,cy,5.25,2026-01-12");

        StreamResult second = sync(incremental).streams().get(0);

        assertThat(second.rowsRead()).isEqualTo(2);
        assertThat(second.inserts()).isEqualTo(1);
        assertThat(second.cursor()).isEqualTo("2026-01-12");
        assertThat(files()).hasSize(2);
        assertThat(manifest().ledger())
                .extracting(ParquetManifest.LedgerRow::path)
                .containsExactly("a.csv", "b.csv");
        assertThat(fixture.rows("SELECT order_id FROM raw_orders.orders ORDER BY 1"))
                .containsExactly("1", "2", "3");
    }

    @Test
    void dedupedHistoryRewritesTheStreamWithTheLatestRowPerKey() throws Exception {
        StreamPlan deduped = stream(SyncMode.INCREMENTAL_DEDUPED_HISTORY, "order_date", "order_id");
        fixture.writeCsv("a.csv", HEADER, "1,ann,10.50,2026-01-03", "2,bob,20.00,2026-01-10");
        sync(deduped);
        fixture.writeCsv("b.csv", HEADER, "2,bob,25.00,2026-01-11", "3,cy,5.25,2026-01-12");

        StreamResult second = sync(deduped).streams().get(0);

        assertThat(second.inserts()).isEqualTo(1);
        assertThat(second.updates()).isEqualTo(1);
        assertThat(files()).hasSize(1).allMatch(file -> file.startsWith("orders/job-2-"));
        assertThat(fixture.rows("SELECT order_id, amount FROM raw_orders.orders ORDER BY 1"))
                .containsExactly("1|10.5", "2|25.0", "3|5.25");
    }

    @Test
    void partitionByWritesHiveStyleFoldersThatHoldTheColumnToo() throws Exception {
        fixture.destination =
                DestinationPlan.parquet(
                        "lake", new ParquetPlan("lake", List.of("customer")), SyncFixture.SCHEMA);
        fixture.writeCsv("a.csv", HEADER, "1,ann,10.50,2026-01-03", "2,bob,20.00,2026-01-10");

        sync(stream(SyncMode.FULL_REFRESH_OVERWRITE));

        assertThat(files())
                .hasSize(2)
                .anyMatch(file -> file.contains("/customer=ann/"))
                .anyMatch(file -> file.contains("/customer=bob/"));
        assertThat(fixture.rows("SELECT order_id, customer FROM raw_orders.orders ORDER BY 1"))
                .containsExactly("1|ann", "2|bob");
    }

    @Test
    void schemaEvolutionAddsNewColumnsAndKeepsRemovedOnesAsNull() throws Exception {
        fixture.writeCsv("a.csv", "order_id,customer", "1,ann");
        sync(stream(SyncMode.INCREMENTAL_APPEND));
        fixture.writeCsv("b.csv", "order_id,channel", "2,web");

        sync(stream(SyncMode.INCREMENTAL_APPEND));

        assertThat(manifest().streams().get("orders").columns())
                .extracting(ParquetManifest.ColumnType::name)
                .startsWith("order_id", "customer")
                .contains("channel");
        assertThat(
                        fixture.rows(
                                "SELECT order_id, customer, channel FROM raw_orders.orders ORDER BY"
                                        + " 1"))
                .containsExactly("1|ann|null", "2|null|web");
    }

    @Test
    void filesAndWorkingFoldersOfADeadRunAreSwept() throws Exception {
        fixture.writeCsv("a.csv", HEADER, "1,ann,10.50,2026-01-03");
        sync(stream(SyncMode.FULL_REFRESH_APPEND));
        Path schemaFolder = fixture.parquetSchemaFolder();
        Path orphan = Files.createDirectories(schemaFolder.resolve("orders/job-99-dead"));
        Files.writeString(orphan.resolve("part-0.parquet"), "half written");
        Path deadWork = Files.createDirectories(schemaFolder.resolve("_millrace/work-99-dead"));
        Files.writeString(schemaFolder.resolve("_millrace/state.json.tmp-99"), "{");

        sync(stream(SyncMode.FULL_REFRESH_APPEND));

        assertThat(orphan).doesNotExist();
        assertThat(deadWork).doesNotExist();
        assertThat(schemaFolder.resolve("_millrace/state.json.tmp-99")).doesNotExist();
        try (var left = Files.list(schemaFolder.resolve("_millrace"))) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .containsExactly("state.json");
        }
        assertThat(fixture.count("raw_orders.orders")).isEqualTo(2);
    }

    @Test
    void aDatabaseSourceLandsInParquet() throws Exception {
        Path database = fixture.dataRoot.resolve("shop.duckdb");
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + database);
                Statement statement = connection.createStatement()) {
            statement.execute(
                    "CREATE TABLE orders AS SELECT i AS id, 'c' || i AS customer FROM range(5)"
                            + " t(i)");
        }
        fixture.source =
                new SourcePlan(
                        "shop",
                        "jdbc",
                        null,
                        new JdbcPlan("duckdb", null, null, "shop.duckdb", null, null, Map.of()));
        StreamPlan table =
                new StreamPlan(
                        "orders",
                        SyncMode.INCREMENTAL_APPEND,
                        "id",
                        List.of(),
                        null,
                        "orders",
                        null);

        StreamResult result = sync(table).streams().get(0);

        assertThat(result.rowsRead()).isEqualTo(5);
        assertThat(result.cursor()).isEqualTo("4");
        assertThat(fixture.count("raw_orders.orders")).isEqualTo(5);
        assertThat(sync(table).streams().get(0).inserts()).isZero();
        assertThat(files()).hasSize(1);
    }
}
