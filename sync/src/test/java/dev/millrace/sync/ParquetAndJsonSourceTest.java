package dev.millrace.sync;

import static dev.millrace.sync.SyncFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.plan.FilesPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.result.StreamResult;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet and JSON folders are read by DuckDB itself, with the CSV ledger's semantics. */
class ParquetAndJsonSourceTest {

    @TempDir Path tempDir;
    private SyncFixture fixture;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture(tempDir);
    }

    private void parquetSource() {
        fixture.source =
                new SourcePlan("orders", "parquet", new FilesPlan("orders", null, null, null));
    }

    private void jsonSource(String format) {
        fixture.source =
                new SourcePlan("orders", "json", new FilesPlan("orders", null, null, null, format));
    }

    @Test
    void parquetFilesLandWithTheirOwnTypesAndTheLedgerTracksNewChangedAndDeletedFiles()
            throws Exception {
        parquetSource();
        fixture.writeParquet(
                "orders-01.parquet",
                "SELECT i AS order_id, CAST(i * 1.5 AS DECIMAL(10,2)) AS amount,"
                        + " TIMESTAMP '2026-01-01 00:00:00' + to_days(CAST(i AS INTEGER)) AS"
                        + " ordered_at FROM range(1, 4) t(i)");
        fixture.writeParquet(
                "orders-02.parquet", "SELECT 4 AS order_id, 6.00::DECIMAL(10,2) AS amount");
        fixture.writeText("notes.txt", "not a parquet file");

        SyncResult first = fixture.sync(fixture.plan(stream(SyncMode.INCREMENTAL_APPEND)));

        assertThat(first.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(first.streams().get(0).filesTotal()).isEqualTo(2);
        assertThat(first.streams().get(0).inserts()).isEqualTo(4);
        assertThat(
                        fixture.rows(
                                "SELECT column_name, data_type FROM duckdb_columns() WHERE"
                                        + " table_name = 'orders' AND column_name NOT LIKE"
                                        + " '\\_millrace%' ESCAPE '\\' ORDER BY column_index"))
                .containsExactly("order_id|BIGINT", "amount|DECIMAL(10,2)", "ordered_at|TIMESTAMP");

        fixture.writeParquet(
                "orders-02.parquet",
                "SELECT 4 AS order_id, 6.50::DECIMAL(10,2) AS amount UNION ALL SELECT 5, 7.00");
        fixture.delete("orders-01.parquet");
        fixture.writeParquet(
                "orders-03.parquet", "SELECT 6 AS order_id, 1.00::DECIMAL(10,2) AS amount");

        SyncResult second = fixture.sync(fixture.plan(stream(SyncMode.INCREMENTAL_APPEND)));

        StreamResult orders = second.streams().get(0);
        assertThat(second.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(orders.filesLoaded()).isEqualTo(2);
        assertThat(orders.deletes()).isEqualTo(4);
        assertThat(orders.inserts()).isEqualTo(3);
        assertThat(orders.files())
                .extracting(entry -> entry.path() + ":" + entry.rows())
                .containsExactly("orders-02.parquet:2", "orders-03.parquet:1");
        assertThat(
                        fixture.rows(
                                "SELECT order_id, amount, _millrace_file FROM raw_orders.orders"
                                        + " ORDER BY order_id"))
                .containsExactly(
                        "4|6.50|orders-02.parquet",
                        "5|7.00|orders-02.parquet",
                        "6|1.00|orders-03.parquet");

        SyncResult third = fixture.sync(fixture.plan(stream(SyncMode.INCREMENTAL_APPEND)));
        assertThat(third.streams().get(0).filesLoaded()).isZero();
        assertThat(fixture.count("raw_orders.orders")).isEqualTo(3);
    }

    @Test
    void newlineDelimitedAndArrayJsonFilesLandTogetherWithNestedValuesAsJson() throws Exception {
        jsonSource(null);
        fixture.writeText(
                "a.ndjson",
                "{\"order_id\": 1, \"customer\": {\"name\": \"ann\"}, \"tags\": [\"x\", \"y\"]}\n"
                        + "{\"order_id\": 2, \"customer\": {\"name\": \"bob\"}}\n");
        fixture.writeText("b.json", "[{\"order_id\": 3, \"placed_at\": \"2026-03-01T10:00:00Z\"}]");

        SyncResult result = fixture.sync(fixture.plan(stream(SyncMode.FULL_REFRESH_OVERWRITE)));

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(
                        fixture.rows(
                                "SELECT column_name, data_type FROM duckdb_columns() WHERE"
                                        + " table_name = 'orders' AND column_name NOT LIKE"
                                        + " '\\_millrace%' ESCAPE '\\' ORDER BY column_name"))
                .containsExactly(
                        "customer|JSON",
                        "order_id|BIGINT",
                        "placed_at|TIMESTAMP WITH TIME ZONE",
                        "tags|JSON");
        assertThat(
                        fixture.rows(
                                "SELECT order_id, customer->>'name', tags, _millrace_file FROM"
                                        + " raw_orders.orders ORDER BY order_id"))
                .containsExactly(
                        "1|ann|[\"x\",\"y\"]|a.ndjson",
                        "2|bob|null|a.ndjson",
                        "3|null|null|b.json");
    }

    @Test
    void jsonDedupedHistoryKeepsTheLatestRowPerKeyAcrossFiles() throws Exception {
        jsonSource("newline_delimited");
        fixture.writeText(
                "day1.jsonl",
                "{\"id\": 1, \"status\": \"new\", \"updated\": 1}\n"
                        + "{\"id\": 2, \"status\": \"new\", \"updated\": 1}\n");
        fixture.sync(fixture.plan(stream(SyncMode.INCREMENTAL_DEDUPED_HISTORY, "updated", "id")));
        fixture.writeText("day2.jsonl", "{\"id\": 1, \"status\": \"paid\", \"updated\": 2}\n");

        SyncResult second =
                fixture.sync(
                        fixture.plan(
                                stream(SyncMode.INCREMENTAL_DEDUPED_HISTORY, "updated", "id")));

        assertThat(second.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(second.streams().get(0).filesLoaded()).isEqualTo(1);
        assertThat(second.streams().get(0).cursor()).isEqualTo("2");
        assertThat(fixture.rows("SELECT id, status FROM raw_orders.orders ORDER BY id"))
                .containsExactly("1|paid", "2|new");
    }

    @Test
    void aMalformedJsonFileFailsTheSyncAndChangesNothing() throws Exception {
        jsonSource(null);
        fixture.writeText("a.json", "{\"id\": 1}\n");
        fixture.sync(fixture.plan(stream(SyncMode.INCREMENTAL_APPEND)));
        var before = fixture.snapshot();
        fixture.writeText("b.json", "{\"id\": 2, oops}\n");

        SyncResult result = fixture.sync(fixture.plan(stream(SyncMode.INCREMENTAL_APPEND)));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error()).contains("b.json");
        assertThat(fixture.snapshot()).isEqualTo(before);
    }
}
