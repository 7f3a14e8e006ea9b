package dev.millrace.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.sync.plan.DestinationPlan;
import dev.millrace.sync.plan.ParquetPlan;
import dev.millrace.sync.plan.PlanJson;
import dev.millrace.sync.plan.StreamPlan;
import dev.millrace.sync.plan.SyncMode;
import dev.millrace.sync.plan.SyncPlan;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every destination survives a sync that is interrupted, or whose process is killed at any point:
 * afterwards the destination holds either its old rows with the old cursor or — only when the kill
 * came after the commit point — the new rows with the new cursor, never a mix; and the next run
 * completes the sync with one row per key.
 */
class DestinationFaultTest {

    private static final String HEADER = "order_id,customer,amount,order_date";

    /** Large enough that staging, merging and writing each take a noticeable moment. */
    private static final long LARGE_ROWS = 400_000;

    private static final StreamPlan DEDUPED =
            SyncFixture.stream(SyncMode.INCREMENTAL_DEDUPED_HISTORY, "order_date", "order_id");

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

    private void useDestination(String type) throws Exception {
        fixture = new SyncFixture(tempDir);
        switch (type) {
            case DestinationPlan.POSTGRES -> PostgresDestinationTest.usePostgres(fixture, postgres);
            case DestinationPlan.PARQUET ->
                    fixture.destination =
                            DestinationPlan.parquet(
                                    "lake", new ParquetPlan("lake", List.of()), SyncFixture.SCHEMA);
            default -> {
                // The fixture's DuckDB warehouse.
            }
        }
    }

    /** One committed sync of two rows, then a large file that overlaps their keys. */
    private List<String> syncTwoRowsThenAddALargeFile() throws Exception {
        fixture.writeCsv("a.csv", HEADER, "1,ann,10.50,2026-01-03", "2,bob,20.00,2026-01-10");
        SyncResult first = fixture.sync(fixture.plan(DEDUPED));
        assertThat(first.status())
                .as(String.valueOf(first.error()))
                .isEqualTo(SyncStatus.SUCCEEDED);
        List<String> before = fixture.snapshot();
        fixture.writeLargeCsv("b.csv", LARGE_ROWS);
        return before;
    }

    /** The next run lands the large file with exactly one row per key and moves the cursor. */
    private void nextRunCompletesWithoutDuplicates() throws Exception {
        SyncResult next = fixture.sync(fixture.plan(DEDUPED));
        assertThat(next.status()).as(String.valueOf(next.error())).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(fixture.rows("SELECT count(*), count(DISTINCT order_id) FROM raw_orders.orders"))
                .containsExactly(LARGE_ROWS + "|" + LARGE_ROWS);
        assertThat(fixture.rows("SELECT CAST(max(order_date) AS VARCHAR) FROM raw_orders.orders"))
                .containsExactly("2026-12-31");
    }

    /** Either nothing changed, or the whole sync committed: rows, one per key, and cursor. */
    private void unchangedOrCompletelyCommitted(List<String> before, boolean commitMayHaveHappened)
            throws Exception {
        if (fixture.count("raw_orders.orders") == 2) {
            assertThat(fixture.snapshot()).isEqualTo(before);
            return;
        }
        assertThat(commitMayHaveHappened).as("the sync committed before its commit point").isTrue();
        assertThat(fixture.rows("SELECT count(*), count(DISTINCT order_id) FROM raw_orders.orders"))
                .containsExactly(LARGE_ROWS + "|" + LARGE_ROWS);
        String state =
                DestinationPlan.PARQUET.equals(fixture.destination.type())
                        ? Files.readString(
                                dev.millrace.sync.destination.parquet.ParquetManifest.location(
                                        fixture.parquetSchemaFolder()))
                        : fixture.rows("SELECT state FROM _millrace.stream_state").toString();
        assertThat(state).contains("2026-12-31");
    }

    /**
     * A killed client's last message may still be on its way: PostgreSQL finishes (or rolls back)
     * the session only when it notices the connection is gone. Wait for that before looking.
     */
    private void awaitServerSessionEnded() throws Exception {
        if (!DestinationPlan.POSTGRES.equals(fixture.destination.type())) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!fixture.rows(
                        "SELECT pid FROM pg_stat_activity WHERE application_name ="
                                + " 'millrace-sync'")
                .isEmpty()) {
            assertThat(System.nanoTime())
                    .as("the killed sync's session ended")
                    .isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    static Stream<String> destinations() {
        return Stream.of(DestinationPlan.DUCKDB, DestinationPlan.PARQUET, DestinationPlan.POSTGRES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("destinations")
    void interruptingTheSyncAfterStagingChangesNothing(String type) throws Exception {
        useDestination(type);
        List<String> before = syncTwoRowsThenAddALargeFile();
        CountDownLatch staged = new CountDownLatch(1);
        AtomicReference<SyncResult> result = new AtomicReference<>();
        SyncRunner runner =
                new SyncRunner(
                        line -> {
                            fixture.log.add(line);
                            if (line.contains("stream orders: parsed")) {
                                staged.countDown();
                            }
                        });
        SyncPlan plan = fixture.plan(DEDUPED);
        Thread syncThread =
                new Thread(() -> result.set(runner.run(plan, fixture.environment())), "sync");

        syncThread.start();
        assertThat(staged.await(120, TimeUnit.SECONDS)).isTrue();
        syncThread.interrupt();
        syncThread.join(TimeUnit.SECONDS.toMillis(120));

        assertThat(syncThread.isAlive()).isFalse();
        assertThat(result.get().status()).isEqualTo(SyncStatus.CANCELLED);
        assertThat(fixture.log).anyMatch(line -> line.startsWith("rolled back"));
        assertThat(fixture.snapshot()).isEqualTo(before);
        nextRunCompletesWithoutDuplicates();
    }

    /**
     * Kill points, by the log line the sync prints as it reaches them, and whether the commit may
     * already have happened when the kill lands.
     */
    static Stream<Arguments> killPoints() {
        List<Arguments> points = new ArrayList<>();
        for (String type : destinations().toList()) {
            points.add(Arguments.of(type, "stream orders: parsed", false));
            if (type.equals(DestinationPlan.POSTGRES)) {
                points.add(Arguments.of(type, "into PostgreSQL staging", false));
            }
            points.add(
                    // The merge is logged just before the commit: the process may commit before the
                    // kill lands, so old or new state (never a mix) is what holds here.
                    Arguments.of(type, "update(s)", true));
            points.add(Arguments.of(type, "committing", true));
        }
        return points.stream();
    }

    @ParameterizedTest(name = "{0} killed at \"{1}\"")
    @MethodSource("killPoints")
    void killingTheSyncProcessLeavesOldOrNewStateAndTheNextRunCompletes(
            String type, String killAt, boolean commitMayHaveHappened) throws Exception {
        useDestination(type);
        List<String> before = syncTwoRowsThenAddALargeFile();
        Path planFile = tempDir.resolve("plan.json");
        Files.writeString(planFile, PlanJson.write(fixture.plan(DEDUPED)));
        ProcessBuilder builder =
                new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        SyncMain.class.getName(),
                        "--plan",
                        "@" + planFile);
        builder.redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.putAll(fixture.environment().variables());
        env.put(SyncMain.TERMINATION_LOG, tempDir.resolve("termination-log").toString());
        Process sync = builder.start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader out =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    sync.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = out.readLine()) != null) {
                                    lines.add(line);
                                }
                            } catch (java.io.IOException closed) {
                                // The process was killed.
                            }
                        });
        reader.setDaemon(true);
        reader.start();

        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        boolean reached = false;
        while (!reached && System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.add(line);
                reached = line.contains(killAt);
            }
        }
        sync.destroyForcibly();
        assertThat(sync.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(reached).as("the sync reached \"" + killAt + "\"; it printed " + seen).isTrue();
        assertThat(seen).noneMatch(line -> line.contains("committed in"));
        awaitServerSessionEnded();

        unchangedOrCompletelyCommitted(before, commitMayHaveHappened);
        nextRunCompletesWithoutDuplicates();
    }
}
