package dev.millrace.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.store.job.AttemptRecord;
import dev.millrace.store.job.AttemptStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attempts with Airbyte's meaning: a failed attempt leaves the job incomplete and another runs
 * after a backoff; a failure no retry can fix ends the job at once; a cancel ends it for good.
 */
class SyncRetryTest {
    private static final String HEADER = "order_id,customer,amount\n";
    private static final String MALFORMED = HEADER + "6,fay,3\n7,\"unterminated,4\n8,gus,5,x,y\n";
    private static final Duration BACKOFF = Duration.ofSeconds(3);
    private static final String CONNECTION = "orders-to-warehouse";

    @TempDir Path tmp;
    private OperatorHarness cluster;

    @BeforeEach
    void start() throws Exception {
        cluster =
                OperatorHarness.started(
                        tmp,
                        OperatorHarness.settings()
                                .withSyncJobs(
                                        OperatorHarness.settings()
                                                .syncJobs()
                                                .withRetries(3, BACKOFF, BACKOFF.multipliedBy(2))));
        cluster.csvFolder("orders", Map.of("a.csv", HEADER + "1,ada,10.5\n2,bob,20\n"));
        // With the delimiter set, a malformed row is DuckDB's parse error (a failure a retry may
        // get past, e.g. a file still being written), not a dialect the sniffer gave up on.
        dev.millrace.crds.source.Source source = cluster.csvSource("orders", "orders");
        source.getSpec().files.delimiter = ",";
        cluster.client.resource(source).update();
        cluster.warehouse("warehouse");
        cluster.connection(CONNECTION, "orders", "warehouse", Schedule.manual());
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private Path file(String name) {
        return cluster.dataRoot.resolve("orders").resolve(name);
    }

    private Connection awaitIncomplete() {
        await().atMost(OperatorHarness.WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            Connection c = cluster.connection(CONNECTION);
                            return c.getStatus() != null
                                    && c.getStatus().lastJob != null
                                    && "incomplete".equals(c.getStatus().lastJob.status);
                        });
        return cluster.connection(CONNECTION);
    }

    private List<AttemptRecord> attempts(Connection c) {
        return cluster.store.jobAttempts().of(c.getStatus().lastJob.id);
    }

    @Test
    void aFailedAttemptIsRetriedAfterTheBackoffAndTheSecondAttemptSucceeds() throws Exception {
        Files.writeString(file("b.csv"), MALFORMED);
        cluster.requestSync(CONNECTION, "one");

        Connection incomplete = awaitIncomplete();
        assertThat(incomplete.getStatus().lastJob.attempt).isEqualTo(1);
        assertThat(incomplete.getStatus().lastJob.error).isNull();
        // Fixed between the attempts, as a person (or a finished upload) would.
        Files.writeString(file("b.csv"), HEADER + "6,fay,3\n");

        Connection done = cluster.awaitLastJob(CONNECTION, "succeeded");
        long id = done.getStatus().lastJob.id;
        assertThat(done.getStatus().lastJob.attempt).isEqualTo(2);
        assertThat(done.getStatus().lastJob.name).isEqualTo(CONNECTION + "-" + id + "-a2");
        List<AttemptRecord> attempts = attempts(done);
        assertThat(attempts)
                .extracting(AttemptRecord::attempt, AttemptRecord::status, AttemptRecord::jobName)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                1, AttemptStatus.FAILED, CONNECTION + "-" + id),
                        org.assertj.core.groups.Tuple.tuple(
                                2, AttemptStatus.SUCCEEDED, CONNECTION + "-" + id + "-a2"));
        assertThat(attempts.get(0).error()).contains("Error");
        assertThat(attempts.get(0).retryable()).isTrue();
        assertThat(attempts.get(1).createdAt())
                .isAfterOrEqualTo(attempts.get(0).endedAt().plus(BACKOFF));
        assertThat(attempts.get(1).rowsSynced()).isEqualTo(3);
        assertThat(cluster.jobsOf(CONNECTION)).hasSize(2);
        assertThat(cluster.warehouseCount("select count(*) from raw_orders.orders")).isEqualTo(3);
    }

    @Test
    void aFailureNoRetryCanFixFailsTheJobAtOnce() throws Exception {
        cluster.requestSync(CONNECTION, "one");
        cluster.awaitLastJob(CONNECTION, "succeeded");
        Files.delete(file("a.csv"));

        cluster.requestSync(CONNECTION, "two");
        Connection failed = cluster.awaitLastJob(CONNECTION, "failed");

        assertThat(failed.getStatus().lastJob.error)
                .contains("allowEmptyReplace")
                .contains("not retried");
        assertThat(attempts(failed))
                .singleElement()
                .satisfies(
                        a -> {
                            assertThat(a.status()).isEqualTo(AttemptStatus.FAILED);
                            assertThat(a.retryable()).isFalse();
                        });
        assertThat(cluster.jobsOf(CONNECTION))
                .extracting(j -> j.getMetadata().getName())
                .noneMatch(n -> n.endsWith("-a2"));
        assertThat(cluster.warehouseCount("select count(*) from raw_orders.orders")).isEqualTo(2);
    }

    @Test
    void aCancelDuringTheSecondAttemptCancelsTheJobAndNoThirdAttemptRuns() throws Exception {
        Files.writeString(file("b.csv"), MALFORMED);
        cluster.requestSync(CONNECTION, "one");
        Connection incomplete = awaitIncomplete();
        long id = incomplete.getStatus().lastJob.id;
        writeBigFile(file("b.csv"));

        String second = CONNECTION + "-" + id + "-a2";
        await().atMost(OperatorHarness.WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () ->
                                cluster.jobsOf(CONNECTION).stream()
                                        .anyMatch(
                                                j ->
                                                        second.equals(j.getMetadata().getName())
                                                                && j.getStatus() != null
                                                                && j.getStatus().getStartTime()
                                                                        != null));
        Job running =
                cluster.jobsOf(CONNECTION).stream()
                        .filter(j -> second.equals(j.getMetadata().getName()))
                        .findFirst()
                        .orElseThrow();
        cluster.client.resource(running).delete();

        Connection cancelled = cluster.awaitLastJob(CONNECTION, "cancelled");
        assertThat(cancelled.getStatus().lastJob.attempt).isEqualTo(2);
        // Well past the next backoff: still cancelled, and no third attempt was made.
        await().during(BACKOFF.multipliedBy(3))
                .atMost(BACKOFF.multipliedBy(4))
                .until(
                        () ->
                                "cancelled"
                                                .equals(
                                                        cluster.connection(CONNECTION)
                                                                .getStatus()
                                                                .lastJob
                                                                .status)
                                        && cluster.jobsOf(CONNECTION).stream()
                                                .noneMatch(
                                                        j ->
                                                                j.getMetadata()
                                                                        .getName()
                                                                        .endsWith("-a3")));
        assertThat(attempts(cancelled))
                .extracting(AttemptRecord::status)
                .containsExactly(AttemptStatus.FAILED, AttemptStatus.CANCELLED);
        // Neither attempt committed anything: the table was never created.
        assertThat(
                        cluster.warehouseCount(
                                "select count(*) from information_schema.tables"
                                        + " where table_schema = 'raw_orders'"))
                .isZero();
    }

    private static void writeBigFile(Path file) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write(HEADER);
            for (int i = 0; i < 2_000_000; i++) {
                out.write(Integer.toString(1000 + i));
                out.write(",customer-");
                out.write(Integer.toString(i % 9973));
                out.write(",3.25\n");
            }
        }
    }
}
