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

class DedupedHistoryTest {

    private static final String HEADER = "order_id,status,updated_at";
    private static final StreamPlan BY_CURSOR =
            stream(SyncMode.INCREMENTAL_DEDUPED_HISTORY, "updated_at", "order_id");
    private static final StreamPlan BY_FILE_AGE =
            stream(SyncMode.INCREMENTAL_DEDUPED_HISTORY, null, "order_id");

    @TempDir Path tempDir;
    private SyncFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new SyncFixture(tempDir);
    }

    private List<String> table() throws Exception {
        return fixture.rows(
                "SELECT order_id, status, CAST(updated_at AS VARCHAR) FROM raw_orders.orders ORDER"
                        + " BY 1");
    }

    @Test
    void keepsTheLatestRowPerKeyByCursorAndCountsInsertsAndUpdates() throws Exception {
        fixture.writeCsv(
                "day-1.csv",
                HEADER,
                "1,paid,2026-01-01 10:00:00",
                "2,paid,2026-01-01 11:00:00",
                "1,shipped,2026-01-02 09:00:00");
        SyncResult first = fixture.sync(fixture.plan(BY_CURSOR));
        assertThat(first.streams().get(0).inserts()).isEqualTo(2);
        assertThat(first.streams().get(0).rowsRead()).isEqualTo(3);
        assertThat(table())
                .containsExactly("1|shipped|2026-01-02 09:00:00", "2|paid|2026-01-01 11:00:00");

        // Order 1 moves on, order 2 arrives late with an older state, order 3 is new.
        fixture.writeCsv(
                "day-2.csv",
                HEADER,
                "1,delivered,2026-01-03 08:00:00",
                "2,pending,2025-12-31 23:00:00",
                "3,paid,2026-01-03 12:00:00");
        SyncResult second = fixture.sync(fixture.plan(BY_CURSOR));

        StreamResult orders = second.streams().get(0);
        assertThat(orders.syncMode()).isEqualTo("incremental_deduped_history");
        assertThat(orders.rowsRead()).isEqualTo(3);
        assertThat(orders.inserts()).isEqualTo(1);
        assertThat(orders.updates()).isEqualTo(1);
        assertThat(orders.deletes()).isZero();
        assertThat(orders.rowsWritten()).isEqualTo(2);
        assertThat(orders.tableRowCount()).isEqualTo(3);
        assertThat(orders.cursor()).isEqualTo("2026-01-03 12:00:00");
        assertThat(table())
                .containsExactly(
                        "1|delivered|2026-01-03 08:00:00",
                        "2|paid|2026-01-01 11:00:00",
                        "3|paid|2026-01-03 12:00:00");
    }

    @Test
    void withoutCursorTheNewestFilesLastRowWins() throws Exception {
        fixture.writeCsv("a-older.csv", "order_id,status", "1,paid", "2,paid", "2,shipped");
        fixture.writeCsv("b-newer.csv", "order_id,status", "1,cancelled");
        fixture.sync(fixture.plan(BY_FILE_AGE));
        assertThat(
                        fixture.rows(
                                "SELECT order_id, status, _millrace_file FROM raw_orders.orders"
                                        + " ORDER BY 1"))
                .containsExactly("1|cancelled|b-newer.csv", "2|shipped|a-older.csv");

        fixture.writeCsv("c-newest.csv", "order_id,status", "2,delivered");
        SyncResult second = fixture.sync(fixture.plan(BY_FILE_AGE));

        assertThat(second.streams().get(0).updates()).isEqualTo(1);
        assertThat(second.streams().get(0).inserts()).isZero();
        assertThat(fixture.rows("SELECT order_id, status FROM raw_orders.orders ORDER BY 1"))
                .containsExactly("1|cancelled", "2|delivered");
    }

    @Test
    void aChangedFileUpdatesItsKeysAndRemovesKeysItNoLongerHolds() throws Exception {
        fixture.writeCsv(
                "orders.csv",
                HEADER,
                "1,paid,2026-01-01",
                "2,paid,2026-01-01",
                "3,paid,2026-01-01");
        fixture.writeCsv("other.csv", HEADER, "9,paid,2026-01-01");
        fixture.sync(fixture.plan(BY_CURSOR));
        fixture.writeCsv(
                "orders.csv",
                HEADER,
                "1,shipped,2026-01-02",
                "2,paid,2026-01-01",
                "4,paid,2026-01-02");

        SyncResult result = fixture.sync(fixture.plan(BY_CURSOR));

        StreamResult orders = result.streams().get(0);
        assertThat(orders.filesLoaded()).isEqualTo(1);
        assertThat(orders.updates()).isEqualTo(2);
        assertThat(orders.inserts()).isEqualTo(1);
        assertThat(orders.deletes()).isEqualTo(1);
        assertThat(table())
                .containsExactly(
                        "1|shipped|2026-01-02",
                        "2|paid|2026-01-01",
                        "4|paid|2026-01-02",
                        "9|paid|2026-01-01");
    }

    @Test
    void aDeletedFilesKeysAreRemoved() throws Exception {
        fixture.writeCsv("a.csv", "order_id,status", "1,paid", "2,paid");
        fixture.writeCsv("b.csv", "order_id,status", "3,paid");
        fixture.sync(fixture.plan(BY_FILE_AGE));
        fixture.delete("a.csv");

        SyncResult result = fixture.sync(fixture.plan(BY_FILE_AGE));

        assertThat(result.streams().get(0).deletes()).isEqualTo(2);
        assertThat(fixture.rows("SELECT order_id FROM raw_orders.orders")).containsExactly("3");
    }

    @Test
    void aRowWithoutPrimaryKeyFailsTheSyncAndChangesNothing() throws Exception {
        fixture.writeCsv("a.csv", "order_id,status", "1,paid");
        fixture.sync(fixture.plan(BY_FILE_AGE));
        List<String> before = fixture.snapshot();
        fixture.writeCsv("b.csv", "order_id,status", "2,paid", ",lost");

        SyncResult result = fixture.sync(fixture.plan(BY_FILE_AGE));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error())
                .isEqualTo(
                        "stream orders: primary key (order_id) is NULL in 1 row(s), for example in"
                                + " b.csv; a deduplicated stream needs a key on every row");
        assertThat(fixture.snapshot()).isEqualTo(before);
    }

    @Test
    void fullRefreshFlagRebuildsTheLatestRowPerKeyFromAllFiles() throws Exception {
        fixture.writeCsv("a.csv", HEADER, "1,paid,2026-01-01", "2,paid,2026-01-01");
        fixture.writeCsv("b.csv", HEADER, "1,shipped,2026-01-02");
        fixture.sync(fixture.plan(BY_CURSOR));

        SyncResult refreshed = fixture.sync(fixture.plan(true, false, BY_CURSOR));

        StreamResult orders = refreshed.streams().get(0);
        assertThat(orders.deletes()).isEqualTo(2);
        assertThat(orders.inserts()).isEqualTo(2);
        assertThat(orders.rowsRead()).isEqualTo(3);
        assertThat(table()).containsExactly("1|shipped|2026-01-02", "2|paid|2026-01-01");
    }
}
