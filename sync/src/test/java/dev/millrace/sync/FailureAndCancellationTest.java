package dev.millrace.sync;

import static dev.millrace.sync.SyncFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.plan.DestinationPlan;
import dev.millrace.sync.plan.DuckDbPlan;
import dev.millrace.sync.plan.FilesPlan;
import dev.millrace.sync.plan.SourcePlan;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.plan.SyncPlan;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sync that fails or is cancelled leaves table, ledger and cursor exactly as they were. */
class FailureAndCancellationTest {

    private static final String HEADER = "order_id,customer,amount,order_date";
    private static final StreamPlan INCREMENTAL = stream(SyncMode.INCREMENTAL_APPEND, "order_date");

    @TempDir Path tempDir;
    private SyncFixture fixture;
    private List<String> before;

    @BeforeEach
    void syncOneGoodFile() throws Exception {
        fixture = new SyncFixture(tempDir);
        fixture.writeCsv(
                "orders-2026-01.csv", HEADER, "1,ann,10.50,2026-01-03", "2,bob,20.00,2026-01-10");
        assertThat(fixture.sync(fixture.plan(INCREMENTAL)).status())
                .isEqualTo(SyncStatus.SUCCEEDED);
        before = fixture.snapshot();
        assertThat(before).contains("ledger:", "state:");
    }

    @Test
    void aRowWithTooManyFieldsFailsWithDuckDbsErrorAndChangesNothing() throws Exception {
        fixture.writeCsv(
                "orders-2026-02.csv",
                HEADER,
                "3,cy,5.25,2026-02-01",
                "4,dee,7.00,2026-02-02,extra");
        fixture.writeCsv("orders-2026-03.csv", HEADER, "5,eve,1.00,2026-03-01");

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error())
                .startsWith("stream orders: Invalid Input Error")
                .contains("orders-2026-02.csv");
        assertThat(result.streams()).isEmpty();
        assertThat(fixture.snapshot()).isEqualTo(before);
    }

    @Test
    void aValueThatCannotBeParsedFailsWithDuckDbsErrorAndChangesNothing() throws Exception {
        // Past DuckDB's 20,480-row sniffing sample, so the column is typed BIGINT before "abc".
        String[] lines = new String[30_002];
        lines[0] = HEADER;
        for (int row = 1; row <= 30_000; row++) {
            lines[row] = (100 + row) + ",x," + row + ",2026-02-01";
        }
        lines[30_001] = "abc,x,1,2026-02-01";
        fixture.writeCsv("orders-2026-02.csv", lines);

        SyncResult result = fixture.sync(fixture.plan(INCREMENTAL));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error())
                .startsWith("stream orders: Conversion Error")
                .contains("Could not convert string \"abc\" to 'BIGINT'");
        assertThat(fixture.snapshot()).isEqualTo(before);
    }

    @Test
    void withoutADelimiterAMalformedFileIsNotLandedAsOneColumn() throws Exception {
        SyncPlan sniffing = withoutDelimiter(fixture.plan(INCREMENTAL));
        fixture.writeCsv(
                "orders-2026-02.csv",
                HEADER,
                "3,cy,5.25,2026-02-01",
                "4,dee,7.00,2026-02-02,extra");

        SyncResult result = fixture.sync(sniffing);

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error())
                .isEqualTo(
                        "stream orders: DuckDB found no consistent CSV dialect in"
                                + " orders-2026-02.csv: its header was read as the single column \""
                                + HEADER
                                + "\", which usually means a row has a different number of fields;"
                                + " set source.files.delimiter to get the parser's error");
        assertThat(fixture.snapshot()).isEqualTo(before);
    }

    @Test
    void withoutADelimiterDuckDbSniffsIt() throws Exception {
        SyncPlan sniffing = withoutDelimiter(fixture.plan(INCREMENTAL));
        fixture.writeCsv(
                "orders-2026-02.csv",
                "order_id;customer;amount;order_date",
                "3;cy;5.25;2026-02-01");

        SyncResult result = fixture.sync(sniffing);

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(fixture.rows("SELECT order_id, customer FROM raw_orders.orders ORDER BY 1"))
                .containsExactly("1|ann", "2|bob", "3|cy");
    }

    @Test
    void aFailingStreamRollsBackTheStreamsBeforeIt() throws Exception {
        fixture.writeCsv("orders-2026-02.csv", HEADER, "3,cy,5.25,2026-02-01");
        fixture.writeCsv("customers.csv", "customer,country", "ann,DE", "bob,FR,extra");
        StreamPlan customers =
                new StreamPlan(
                        "customers",
                        SyncMode.FULL_REFRESH_OVERWRITE,
                        null,
                        List.of(),
                        "customers.csv");
        StreamPlan orders =
                new StreamPlan(
                        "orders",
                        SyncMode.INCREMENTAL_APPEND,
                        "order_date",
                        List.of(),
                        "orders-*.csv");

        SyncResult result = fixture.sync(fixture.plan(orders, customers));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error()).startsWith("stream customers: ");
        assertThat(fixture.snapshot()).isEqualTo(before);
        assertThat(fixture.tableExists(SyncFixture.SCHEMA, "customers")).isFalse();
    }

    @Test
    void interruptingTheSyncThreadCancelsTheSyncAndChangesNothing() throws Exception {
        fixture.writeLargeCsv("orders-2026-02.csv", 2_500_000);
        CountDownLatch reading = new CountDownLatch(1);
        AtomicReference<SyncResult> result = new AtomicReference<>();
        SyncRunner runner =
                new SyncRunner(
                        line -> {
                            fixture.log.add(line);
                            if (line.contains("reading 1 file(s)")) {
                                reading.countDown();
                            }
                        });
        SyncPlan plan = fixture.plan(INCREMENTAL);
        Thread syncThread =
                new Thread(
                        () -> result.set(runner.run(plan, fixture.environment())),
                        "sync-under-test");

        syncThread.start();
        assertThat(reading.await(60, TimeUnit.SECONDS)).isTrue();
        syncThread.interrupt();
        syncThread.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(syncThread.isAlive()).isFalse();
        assertThat(result.get().status()).isEqualTo(SyncStatus.CANCELLED);
        assertThat(result.get().error()).contains("interrupted");
        assertThat(result.get().streams()).isEmpty();
        assertThat(fixture.log).anyMatch(line -> line.startsWith("rolled back"));
        assertThat(fixture.snapshot()).isEqualTo(before);
    }

    private static SyncPlan withoutDelimiter(SyncPlan plan) {
        FilesPlan files = plan.source().files();
        return new SyncPlan(
                plan.jobId(),
                plan.namespace(),
                plan.connection(),
                new SourcePlan(
                        plan.source().name(),
                        plan.source().type(),
                        new FilesPlan(files.directory(), files.glob(), null, files.header())),
                new DestinationPlan(
                        plan.destination().name(),
                        plan.destination().type(),
                        new DuckDbPlan(plan.destination().duckdb().path()),
                        plan.destination().schema()),
                plan.streams(),
                plan.fullRefresh(),
                plan.allowEmptyReplace());
    }
}
