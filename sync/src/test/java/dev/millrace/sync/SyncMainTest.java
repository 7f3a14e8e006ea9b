package dev.millrace.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncMainTest {

    /** The plan exactly as the operator builds it. */
    private static final String PLAN =
            """
            {
              "jobId": 12,
              "namespace": "default",
              "connection": "orders-to-warehouse",
              "source": {"name": "orders", "type": "csv",
                         "files": {"directory": "orders", "glob": "*.csv", "delimiter": ",", "header": true}},
              "destination": {"name": "warehouse", "type": "duckdb", "duckdb": {"path": "warehouse.duckdb"}, "schema": "raw_orders"},
              "streams": [{"name": "orders", "syncMode": "incremental_append", "cursorField": null, "primaryKey": [], "glob": null}],
              "fullRefresh": false,
              "allowEmptyReplace": false
            }
            """;

    @TempDir Path tempDir;
    private SyncFixture fixture;
    private Path terminationLog;
    private Map<String, String> env;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture(tempDir);
        fixture.writeCsv("orders-1.csv", "order_id,amount", "1,10", "2,20");
        terminationLog = tempDir.resolve("termination-log");
        env = new HashMap<>();
        env.put("MILLRACE_DATA_ROOT", fixture.dataRoot.toString());
        env.put("MILLRACE_WAREHOUSE_ROOT", fixture.warehouseRoot.toString());
        env.put("MILLRACE_TERMINATION_LOG", terminationLog.toString());
    }

    private List<String> lines() {
        return output.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private SyncResult lastLine() {
        List<String> lines = lines();
        return SyncResult.fromJson(lines.get(lines.size() - 1));
    }

    @Test
    void aSucceededSyncLogsThenPrintsTheResultLastWritesTheTerminationLogAndExitsZero()
            throws Exception {
        env.put("MILLRACE_SYNC_PLAN", PLAN);

        int exitCode = SyncMain.run(new String[0], env, out);

        assertThat(exitCode).isZero();
        List<String> lines = lines();
        assertThat(lines.size()).isGreaterThan(3);
        assertThat(lines.get(0)).contains("sync job 12 of connection default/orders-to-warehouse");
        String json = lines.get(lines.size() - 1);
        assertThat(Files.readString(terminationLog)).isEqualTo(json);
        SyncResult result = SyncResult.fromJson(json);
        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(result.jobId()).isEqualTo(12);
        assertThat(result.streams().get(0).tableRowCount()).isEqualTo(2);
        assertThat(json)
                .startsWith("{\"status\":\"succeeded\",\"jobId\":12,\"startedAt\":\"")
                .contains(
                        "\"streams\":[{\"name\":\"orders\",\"table\":\"raw_orders.orders\","
                            + "\"syncMode\":\"incremental_append\",\"rowsRead\":2,\"rowsWritten\":2,"
                            + "\"inserts\":2,\"updates\":0,\"deletes\":0,\"bytes\":")
                .contains(
                        "\"tableRowCount\":2,\"filesLoaded\":1,\"filesTotal\":1,\"cursor\":null,"
                                + "\"files\":[{\"path\":\"orders-1.csv\",\"size\":")
                .doesNotContain("\"error\"");
        assertThat(fixture.count("raw_orders.orders")).isEqualTo(2);
    }

    @Test
    void thePlanCanComeFromAFileArgumentOverridingTheEnvironment() throws Exception {
        Path planFile = tempDir.resolve("plan.json");
        Files.writeString(planFile, PLAN);
        env.put("MILLRACE_SYNC_PLAN", "not json");

        int exitCode = SyncMain.run(new String[] {"--plan", "@" + planFile}, env, out);

        assertThat(exitCode).isZero();
        assertThat(lastLine().status()).isEqualTo(SyncStatus.SUCCEEDED);
    }

    @Test
    void thePlanCanBeGivenInlineAsAnArgument() {
        int exitCode = SyncMain.run(new String[] {"--plan=" + PLAN}, env, out);

        assertThat(exitCode).isZero();
    }

    @Test
    void anUnsupportedSyncModeExitsWithTwoAndNamesTheField() throws Exception {
        env.put("MILLRACE_SYNC_PLAN", PLAN.replace("\"incremental_append\"", "\"x\""));

        int exitCode = SyncMain.run(new String[0], env, out);

        assertThat(exitCode).isEqualTo(2);
        SyncResult result = lastLine();
        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.jobId()).isEqualTo(12);
        assertThat(result.error())
                .startsWith("invalid plan: streams[0].syncMode: unsupported value \"x\"");
        assertThat(SyncResult.fromJson(Files.readString(terminationLog))).isEqualTo(result);
        assertThat(Files.exists(fixture.database())).isFalse();
    }

    @Test
    void aMissingPlanExitsWithTwo() {
        int exitCode = SyncMain.run(new String[0], env, out);

        assertThat(exitCode).isEqualTo(2);
        assertThat(lastLine().error()).contains("pass --plan or set MILLRACE_SYNC_PLAN");
        assertThat(lastLine().jobId()).isNull();
    }

    @Test
    void anUnknownArgumentExitsWithTwo() {
        int exitCode = SyncMain.run(new String[] {"--plna", PLAN}, env, out);

        assertThat(exitCode).isEqualTo(2);
        assertThat(lastLine().error()).contains("unknown argument \"--plna\"");
    }

    @Test
    void aFailedSyncExitsWithOne() throws Exception {
        fixture.writeCsv("orders-2.csv", "order_id,amount", "3,30,extra");
        env.put("MILLRACE_SYNC_PLAN", PLAN);

        int exitCode = SyncMain.run(new String[0], env, out);

        assertThat(exitCode).isEqualTo(1);
        assertThat(lastLine().status()).isEqualTo(SyncStatus.FAILED);
        assertThat(lastLine().error()).startsWith("stream orders: Invalid Input Error");
    }

    @Test
    void theResultStaysUnderFourThousandBytesWithManyFilesAndALongError() throws Exception {
        for (int file = 2; file <= 300; file++) {
            fixture.writeCsv("orders-" + file + ".csv", "order_id,amount", file + ",1");
        }
        env.put("MILLRACE_SYNC_PLAN", PLAN);
        assertThat(SyncMain.run(new String[0], env, out)).isZero();
        assertThat(lastLine().streams().get(0).filesLoaded()).isEqualTo(300);
        // The lossy-cast error quotes the offending value, here 6,000 characters long.
        fixture.writeCsv("orders-301.csv", "order_id,amount", "301,\"" + "9,".repeat(3000) + "\"");

        int exitCode = SyncMain.run(new String[0], env, out);

        assertThat(exitCode).isEqualTo(1);
        byte[] message = Files.readAllBytes(terminationLog);
        assertThat(message.length).isLessThanOrEqualTo(SyncResult.MAX_JSON_BYTES);
        SyncResult result = SyncResult.fromJson(new String(message, StandardCharsets.UTF_8));
        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error())
                .startsWith("stream orders: column \"amount\" of raw_orders.orders is BIGINT")
                .endsWith("…[truncated]");
    }

    @Test
    void duckDbsMemoryLimitComesFromTheEnvironment() {
        env.put("MILLRACE_SYNC_PLAN", PLAN);
        env.put("MILLRACE_DUCKDB_MEMORY_LIMIT", "plenty");

        int exitCode = SyncMain.run(new String[0], env, out);

        assertThat(exitCode).isEqualTo(1);
        assertThat(lastLine().error()).contains("Memory must have a number");
    }

    @Test
    void theTerminationLogIsSkippedWhenItsFolderDoesNotExist() {
        env.put("MILLRACE_SYNC_PLAN", PLAN);
        Path nowhere = tempDir.resolve("no-such-folder").resolve("termination-log");
        env.put("MILLRACE_TERMINATION_LOG", nowhere.toString());

        int exitCode = SyncMain.run(new String[0], env, out);

        assertThat(exitCode).isZero();
        assertThat(Files.exists(nowhere.getParent())).isFalse();
    }

    @Test
    void anInterruptedRunExitsWithOneAndStillWritesItsResult() throws Exception {
        fixture.writeLargeCsv("orders-2.csv", 2_500_000);
        env.put("MILLRACE_SYNC_PLAN", PLAN);
        CountDownLatch reading = new CountDownLatch(1);
        PrintStream watchingOut =
                new PrintStream(output, true, StandardCharsets.UTF_8) {
                    @Override
                    public void println(String line) {
                        super.println(line);
                        if (line.contains("reading 2 file(s)")) {
                            reading.countDown();
                        }
                    }
                };
        AtomicInteger exitCode = new AtomicInteger(-1);
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread job =
                new Thread(
                        () -> {
                            exitCode.set(SyncMain.run(new String[0], env, watchingOut));
                            stillInterrupted.set(Thread.currentThread().isInterrupted());
                        });

        job.start();
        assertThat(reading.await(60, TimeUnit.SECONDS)).isTrue();
        job.interrupt();
        job.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(job.isAlive()).isFalse();
        assertThat(exitCode.get()).isEqualTo(1);
        assertThat(stillInterrupted).isTrue();
        SyncResult result = SyncResult.fromJson(Files.readString(terminationLog));
        assertThat(result.status()).isEqualTo(SyncStatus.CANCELLED);
        assertThat(lastLine()).isEqualTo(result);
        assertThat(fixture.tableExists(SyncFixture.SCHEMA, "orders")).isFalse();
    }
}
