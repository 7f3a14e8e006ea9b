package dev.millrace.sync;

import static dev.millrace.sync.SyncFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.result.StreamResult;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FullRefreshTest {

    private static final String HEADER = "order_id,customer,amount,order_date";
    private static final StreamPlan OVERWRITE = stream(SyncMode.FULL_REFRESH_OVERWRITE);
    private static final StreamPlan APPEND = stream(SyncMode.FULL_REFRESH_APPEND);

    @TempDir Path tempDir;
    private SyncFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new SyncFixture(tempDir);
        fixture.writeCsv(
                "orders-2026-01.csv", HEADER, "1,ann,10.50,2026-01-03", "2,bob,20.00,2026-01-10");
        fixture.writeCsv("orders-2026-02.csv", HEADER, "3,cy,5.25,2026-02-20");
    }

    @Test
    void overwriteReplacesEveryRowWithTheCurrentFilesOnEachRun() throws Exception {
        fixture.sync(fixture.plan(OVERWRITE));
        fixture.writeCsv(
                "orders-2026-02.csv", HEADER, "3,cy,6.00,2026-02-20", "4,dee,1.00,2026-02-21");

        SyncResult second = fixture.sync(fixture.plan(OVERWRITE));

        StreamResult orders = second.streams().get(0);
        assertThat(orders.syncMode()).isEqualTo("full_refresh_overwrite");
        assertThat(orders.filesLoaded()).isEqualTo(2);
        assertThat(orders.rowsRead()).isEqualTo(4);
        assertThat(orders.inserts()).isEqualTo(4);
        assertThat(orders.deletes()).isEqualTo(3);
        assertThat(orders.tableRowCount()).isEqualTo(4);
        assertThat(
                        fixture.rows(
                                "SELECT order_id, amount, _millrace_job_id FROM raw_orders.orders"
                                        + " ORDER BY 1"))
                .containsExactly("1|10.5|2", "2|20.0|2", "3|6.0|2", "4|1.0|2");
        assertThat(
                        fixture.rows(
                                "SELECT path, \"rows\", job_id FROM _millrace.file_ledger ORDER BY"
                                        + " path"))
                .containsExactly("orders-2026-01.csv|2|2", "orders-2026-02.csv|2|2");
    }

    @Test
    void overwriteRefusesToReplaceRowsWithAnEmptyResult() throws Exception {
        fixture.sync(fixture.plan(OVERWRITE));
        fixture.writeCsv("orders-2026-01.csv", HEADER);
        fixture.writeCsv("orders-2026-02.csv", HEADER);
        List<String> before = fixture.snapshot();

        SyncResult result = fixture.sync(fixture.plan(OVERWRITE));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error())
                .isEqualTo(
                        "stream orders: refusing to replace 3 rows of raw_orders.orders with an"
                                + " empty result; set allowEmptyReplace");
        assertThat(result.streams()).isEmpty();
        assertThat(fixture.snapshot()).isEqualTo(before);
    }

    @Test
    void overwriteWithAllowEmptyReplaceEmptiesTheTable() throws Exception {
        fixture.sync(fixture.plan(OVERWRITE));
        fixture.delete("orders-2026-01.csv");
        fixture.delete("orders-2026-02.csv");

        SyncResult result = fixture.sync(fixture.plan(false, true, OVERWRITE));

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(result.streams().get(0).deletes()).isEqualTo(3);
        assertThat(fixture.count("raw_orders.orders")).isZero();
        assertThat(fixture.count("_millrace.file_ledger")).isZero();
    }

    @Test
    void appendAddsEveryFilesRowsOnEachRun() throws Exception {
        fixture.sync(fixture.plan(APPEND));

        SyncResult second = fixture.sync(fixture.plan(APPEND));

        StreamResult orders = second.streams().get(0);
        assertThat(orders.syncMode()).isEqualTo("full_refresh_append");
        assertThat(orders.inserts()).isEqualTo(3);
        assertThat(orders.deletes()).isZero();
        assertThat(orders.tableRowCount()).isEqualTo(6);
        assertThat(
                        fixture.rows(
                                "SELECT _millrace_job_id, count(*) FROM raw_orders.orders GROUP BY"
                                        + " 1 ORDER BY 1"))
                .containsExactly("1|3", "2|3");
    }

    @Test
    void fullRefreshFlagReloadsAnIncrementalStreamOnceAndResetsItsLedger() throws Exception {
        StreamPlan incremental = stream(SyncMode.INCREMENTAL_APPEND);
        fixture.sync(fixture.plan(incremental));

        SyncResult refreshed = fixture.sync(fixture.plan(true, false, incremental));

        StreamResult orders = refreshed.streams().get(0);
        assertThat(orders.syncMode()).isEqualTo("incremental_append");
        assertThat(orders.filesLoaded()).isEqualTo(2);
        assertThat(orders.deletes()).isEqualTo(3);
        assertThat(orders.inserts()).isEqualTo(3);
        assertThat(fixture.rows("SELECT DISTINCT _millrace_job_id FROM raw_orders.orders"))
                .containsExactly("2");
        assertThat(fixture.rows("SELECT path, job_id FROM _millrace.file_ledger ORDER BY path"))
                .containsExactly("orders-2026-01.csv|2", "orders-2026-02.csv|2");

        SyncResult afterwards = fixture.sync(fixture.plan(incremental));
        assertThat(afterwards.streams().get(0).filesLoaded()).isZero();
        assertThat(afterwards.streams().get(0).tableRowCount()).isEqualTo(3);
    }

    @Test
    void fullRefreshFlagRecomputesTheCursorFromTheReloadedRows() throws Exception {
        StreamPlan withCursor = stream(SyncMode.INCREMENTAL_APPEND, "order_date");
        fixture.sync(fixture.plan(withCursor));
        fixture.writeCsv("orders-2026-02.csv", HEADER, "3,cy,5.25,2026-02-10");

        SyncResult refreshed = fixture.sync(fixture.plan(true, false, withCursor));

        // An incremental run would have skipped 2026-02-10 as older than the saved 2026-02-20.
        assertThat(refreshed.streams().get(0).cursor()).isEqualTo("2026-02-10");
        assertThat(fixture.rows("SELECT order_id, order_date FROM raw_orders.orders ORDER BY 1"))
                .containsExactly("1|2026-01-03", "2|2026-01-10", "3|2026-02-10");
    }
}
