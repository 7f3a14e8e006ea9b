package dev.millrace.sync;

import static dev.millrace.sync.SyncFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.result.FileEntry;
import dev.millrace.sync.result.StreamResult;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncrementalAppendTest {

    private static final String HEADER = "order_id,customer,amount,order_date";
    private static final StreamPlan INCREMENTAL = stream(SyncMode.INCREMENTAL_APPEND);

    @TempDir Path tempDir;
    private SyncFixture fixture;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new SyncFixture(tempDir);
    }

    private void writeJanuaryAndFebruary() throws IOException {
        fixture.writeCsv(
                "orders-2026-01.csv",
                HEADER,
                "1,ann,10.50,2026-01-03",
                "2,bob,20.00,2026-01-10",
                "3,cy,5.25,2026-01-20");
        fixture.writeCsv(
                "orders-2026-02.csv", HEADER, "4,dee,7.00,2026-02-02", "5,eve,12.00,2026-02-14");
    }

    @Test
    void firstSyncLandsEveryRowWithMetadataColumns() throws Exception {
        writeJanuaryAndFebruary();

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(result.error()).isNull();
        StreamResult orders = result.streams().get(0);
        assertThat(orders.table()).isEqualTo("raw_orders.orders");
        assertThat(orders.syncMode()).isEqualTo("incremental_append");
        assertThat(orders.rowsRead()).isEqualTo(5);
        assertThat(orders.rowsWritten()).isEqualTo(5);
        assertThat(orders.inserts()).isEqualTo(5);
        assertThat(orders.filesLoaded()).isEqualTo(2);
        assertThat(orders.filesTotal()).isEqualTo(2);
        assertThat(orders.bytes())
                .isEqualTo(
                        Files.size(fixture.sourceDir.resolve("orders-2026-01.csv"))
                                + Files.size(fixture.sourceDir.resolve("orders-2026-02.csv")));
        assertThat(orders.tableRowCount()).isEqualTo(5);
        assertThat(orders.cursor()).isNull();

        assertThat(
                        fixture.rows(
                                "SELECT column_name, data_type FROM duckdb_columns() WHERE"
                                        + " table_name = 'orders' AND column_name LIKE"
                                        + " '\\_millrace\\_%' ESCAPE '\\' ORDER BY column_index"))
                .containsExactly(
                        "_millrace_extracted_at|TIMESTAMP WITH TIME ZONE",
                        "_millrace_job_id|BIGINT",
                        "_millrace_raw_id|VARCHAR",
                        "_millrace_file|VARCHAR");
        assertThat(
                        fixture.rows(
                                "SELECT order_id, _millrace_file, _millrace_job_id FROM"
                                        + " raw_orders.orders ORDER BY order_id"))
                .containsExactly(
                        "1|orders-2026-01.csv|1",
                        "2|orders-2026-01.csv|1",
                        "3|orders-2026-01.csv|1",
                        "4|orders-2026-02.csv|1",
                        "5|orders-2026-02.csv|1");
        assertThat(
                        fixture.rows(
                                "SELECT count(DISTINCT _millrace_raw_id), count(DISTINCT"
                                    + " _millrace_extracted_at), bool_and(TRY_CAST(_millrace_raw_id"
                                    + " AS UUID) IS NOT NULL), bool_and(_millrace_extracted_at ="
                                    + " TIMESTAMPTZ '"
                                        + result.startedAt()
                                        + "') FROM raw_orders.orders"))
                .containsExactly("5|1|true|true");
    }

    @Test
    void secondSyncOfUnchangedFilesAddsNoRows() throws Exception {
        writeJanuaryAndFebruary();
        fixture.sync(fixture.plan(INCREMENTAL));
        List<String> before = fixture.snapshot();

        SyncResult second = fixture.sync(fixture.plan(INCREMENTAL));

        StreamResult orders = second.streams().get(0);
        assertThat(second.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(orders.rowsRead()).isZero();
        assertThat(orders.rowsWritten()).isZero();
        assertThat(orders.filesLoaded()).isZero();
        assertThat(orders.filesTotal()).isEqualTo(2);
        assertThat(orders.tableRowCount()).isEqualTo(5);
        assertThat(fixture.snapshot()).isEqualTo(before);
    }

    @Test
    void resultListsTheLedgerAsCommittedIncludingUnchangedAndWithoutDeletedFiles()
            throws Exception {
        writeJanuaryAndFebruary();
        fixture.sync(fixture.plan(INCREMENTAL));
        fixture.delete("orders-2026-02.csv");
        Path march = fixture.writeCsv("orders-2026-03.csv", HEADER, "6,fay,30.00,2026-03-01");

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        assertThat(result.streams().get(0).files())
                .containsExactly(
                        new FileEntry(
                                "orders-2026-01.csv",
                                Files.size(fixture.sourceDir.resolve("orders-2026-01.csv")),
                                Files.getLastModifiedTime(
                                                fixture.sourceDir.resolve("orders-2026-01.csv"))
                                        .toInstant(),
                                3),
                        new FileEntry(
                                "orders-2026-03.csv",
                                Files.size(march),
                                Files.getLastModifiedTime(march).toInstant(),
                                1));
        assertThat(result.streams().get(0).filesOmitted()).isNull();
    }

    @Test
    void newFileDroppedInIsPickedUp() throws Exception {
        writeJanuaryAndFebruary();
        fixture.sync(fixture.plan(INCREMENTAL));
        fixture.writeCsv("orders-2026-03.csv", HEADER, "6,fay,30.00,2026-03-01");

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        StreamResult orders = result.streams().get(0);
        assertThat(orders.filesLoaded()).isEqualTo(1);
        assertThat(orders.filesTotal()).isEqualTo(3);
        assertThat(orders.inserts()).isEqualTo(1);
        assertThat(orders.deletes()).isZero();
        assertThat(orders.tableRowCount()).isEqualTo(6);
        assertThat(
                        fixture.rows(
                                "SELECT _millrace_file, _millrace_job_id, count(*) FROM"
                                        + " raw_orders.orders GROUP BY ALL ORDER BY ALL"))
                .containsExactly(
                        "orders-2026-01.csv|1|3",
                        "orders-2026-02.csv|1|2",
                        "orders-2026-03.csv|2|1");
    }

    @Test
    void changedFileRowsAreReplacedAndOtherFilesRowsAreUntouched() throws Exception {
        writeJanuaryAndFebruary();
        fixture.sync(fixture.plan(INCREMENTAL));
        List<String> februaryBefore =
                fixture.rows(
                        "SELECT * FROM raw_orders.orders WHERE _millrace_file ="
                                + " 'orders-2026-02.csv' ORDER BY ALL");
        fixture.writeCsv(
                "orders-2026-01.csv",
                HEADER,
                "1,ann,10.50,2026-01-03",
                "2,bob,22.00,2026-01-10",
                "3,cy,5.25,2026-01-20",
                "7,gus,9.99,2026-01-31");

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        StreamResult orders = result.streams().get(0);
        assertThat(orders.filesLoaded()).isEqualTo(1);
        assertThat(orders.deletes()).isEqualTo(3);
        assertThat(orders.inserts()).isEqualTo(4);
        assertThat(orders.tableRowCount()).isEqualTo(6);
        assertThat(
                        fixture.rows(
                                "SELECT order_id, amount, _millrace_job_id FROM raw_orders.orders"
                                        + " WHERE _millrace_file = 'orders-2026-01.csv' ORDER BY"
                                        + " order_id"))
                .containsExactly("1|10.5|2", "2|22.0|2", "3|5.25|2", "7|9.99|2");
        assertThat(
                        fixture.rows(
                                "SELECT * FROM raw_orders.orders WHERE _millrace_file ="
                                        + " 'orders-2026-02.csv' ORDER BY ALL"))
                .isEqualTo(februaryBefore);
    }

    @Test
    void deletedFileRowsAreRemoved() throws Exception {
        writeJanuaryAndFebruary();
        fixture.sync(fixture.plan(INCREMENTAL));
        fixture.delete("orders-2026-01.csv");

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        StreamResult orders = result.streams().get(0);
        assertThat(orders.deletes()).isEqualTo(3);
        assertThat(orders.filesLoaded()).isZero();
        assertThat(orders.filesTotal()).isEqualTo(1);
        assertThat(orders.tableRowCount()).isEqualTo(2);
        assertThat(fixture.rows("SELECT DISTINCT _millrace_file FROM raw_orders.orders"))
                .containsExactly("orders-2026-02.csv");
        assertThat(fixture.rows("SELECT path FROM _millrace.file_ledger"))
                .containsExactly("orders-2026-02.csv");
    }

    @Test
    void removingEveryFileIsRefusedUnlessAnEmptyResultIsAllowed() throws Exception {
        writeJanuaryAndFebruary();
        fixture.sync(fixture.plan(INCREMENTAL));
        fixture.delete("orders-2026-01.csv");
        fixture.delete("orders-2026-02.csv");
        List<String> before = fixture.snapshot();

        SyncResult refused = fixture.sync(fixture.plan(INCREMENTAL));

        assertThat(refused.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(refused.error())
                .contains("refusing to replace 5 rows of raw_orders.orders with an empty result")
                .contains("allowEmptyReplace");
        assertThat(fixture.snapshot()).isEqualTo(before);

        SyncResult allowed = fixture.sync(fixture.plan(false, true, INCREMENTAL));

        assertThat(allowed.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(allowed.streams().get(0).deletes()).isEqualTo(5);
        assertThat(fixture.count("raw_orders.orders")).isZero();
    }

    @Test
    void cursorAppendsOnlyRowsPastTheSavedCursorAndSavesTheNewMaximum() throws Exception {
        StreamPlan withCursor = stream(SyncMode.INCREMENTAL_APPEND, "order_date");
        writeJanuaryAndFebruary();
        SyncResult first = fixture.sync(fixture.plan(withCursor));
        assertThat(first.streams().get(0).cursor()).isEqualTo("2026-02-14");

        // An export that overlaps the previous one: only rows after 2026-02-14 are new.
        fixture.writeCsv(
                "export-overlap.csv",
                HEADER,
                "5,eve,12.00,2026-02-14",
                "8,hal,3.00,2026-02-20",
                "9,ida,4.00,2026-03-02");
        SyncResult second = fixture.sync(fixture.plan(withCursor));

        StreamResult orders = second.streams().get(0);
        assertThat(orders.rowsRead()).isEqualTo(3);
        assertThat(orders.inserts()).isEqualTo(2);
        assertThat(orders.cursor()).isEqualTo("2026-03-02");
        assertThat(fixture.rows("SELECT order_id FROM raw_orders.orders ORDER BY order_id"))
                .containsExactly("1", "2", "3", "4", "5", "8", "9");
        assertThat(fixture.rows("SELECT state FROM _millrace.stream_state"))
                .containsExactly("{\"cursorField\":\"order_date\",\"cursor\":\"2026-03-02\"}");
    }

    @Test
    void cursorStreamKeepsEarlierRowsWhenAFileGrows() throws Exception {
        StreamPlan withCursor = stream(SyncMode.INCREMENTAL_APPEND, "order_date");
        writeJanuaryAndFebruary();
        fixture.sync(fixture.plan(withCursor));
        List<String> before = fixture.rows("SELECT * FROM raw_orders.orders ORDER BY ALL");
        fixture.writeCsv(
                "orders-2026-02.csv",
                HEADER,
                "4,dee,7.00,2026-02-02",
                "5,eve,12.00,2026-02-14",
                "10,jo,8.00,2026-02-27");

        SyncResult result = fixture.sync(fixture.plan(withCursor));

        StreamResult orders = result.streams().get(0);
        assertThat(orders.inserts()).isEqualTo(1);
        assertThat(orders.deletes()).isZero();
        assertThat(
                        fixture.rows(
                                "SELECT * FROM raw_orders.orders WHERE order_id <> 10 ORDER BY"
                                        + " ALL"))
                .isEqualTo(before);
        assertThat(orders.cursor()).isEqualTo("2026-02-27");
    }

    @Test
    void aDroppedTableIsRebuiltFromAllFilesDespiteTheLedger() throws Exception {
        writeJanuaryAndFebruary();
        fixture.sync(fixture.plan(INCREMENTAL));
        try (Connection connection =
                        DriverManager.getConnection("jdbc:duckdb:" + fixture.database());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE raw_orders.orders");
        }

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        assertThat(result.streams().get(0).filesLoaded()).isEqualTo(2);
        assertThat(fixture.count("raw_orders.orders")).isEqualTo(5);
        assertThat(fixture.rows("SELECT path, job_id FROM _millrace.file_ledger ORDER BY path"))
                .containsExactly("orders-2026-01.csv|2", "orders-2026-02.csv|2");
    }

    @Test
    void zeroMatchingFilesOnTheFirstSyncCreatesNothing() throws Exception {
        fixture.writeCsv("notes.txt", "not a csv");

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        StreamResult orders = result.streams().get(0);
        assertThat(orders.rowsWritten()).isZero();
        assertThat(orders.tableRowCount()).isZero();
        assertThat(orders.filesTotal()).isZero();
        assertThat(fixture.tableExists(SyncFixture.SCHEMA, "orders")).isFalse();
        assertThat(fixture.tableExists("_millrace", "file_ledger")).isFalse();
    }

    @Test
    void missingSourceDirectoryFailsInsteadOfLookingEmpty() throws Exception {
        writeJanuaryAndFebruary();
        fixture.sync(fixture.plan(INCREMENTAL));
        List<String> before = fixture.snapshot();
        Files.walk(fixture.sourceDir)
                .sorted(java.util.Comparator.reverseOrder())
                .forEach(path -> path.toFile().delete());

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error())
                .isEqualTo(
                        "stream orders: "
                                + fixture.sourceDir
                                + ": source directory does not exist");
        assertThat(fixture.snapshot()).isEqualTo(before);
    }

    @Test
    void eachStreamReadsTheFilesOfItsOwnGlob() throws Exception {
        writeJanuaryAndFebruary();
        fixture.writeCsv("customers.csv", "customer,country", "ann,DE", "bob,FR");
        StreamPlan orders =
                new StreamPlan(
                        "orders", SyncMode.INCREMENTAL_APPEND, null, List.of(), "orders-*.csv");
        StreamPlan customers =
                new StreamPlan(
                        "customers",
                        SyncMode.FULL_REFRESH_OVERWRITE,
                        null,
                        List.of(),
                        "customers.csv");

        SyncResult result = fixture.sync(fixture.plan(orders, customers));

        assertThat(result.streams())
                .extracting(StreamResult::name, StreamResult::table, StreamResult::tableRowCount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("orders", "raw_orders.orders", 5L),
                        org.assertj.core.groups.Tuple.tuple(
                                "customers", "raw_orders.customers", 2L));
        assertThat(fixture.rows("SELECT customer, country FROM raw_orders.customers ORDER BY 1"))
                .containsExactly("ann|DE", "bob|FR");
    }
}
