package dev.millrace.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.store.log.LogEntry;
import dev.millrace.store.log.LogLevel;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cancel = deleting the Job (DESIGN §4): the sync stops, rolls back, and status says cancelled. */
class SyncCancellationTest {
    private static final String HEADER = "order_id,customer,amount\n";
    private static final int BIG_ROWS = 2_000_000;

    @TempDir Path tmp;
    private OperatorHarness cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = OperatorHarness.started(tmp);
        cluster.csvFolder("orders", Map.of("a.csv", HEADER + "1,ada,10.5\n2,bob,20\n"));
        cluster.csvSource("orders", "orders");
        cluster.warehouse("warehouse");
        cluster.connection("orders-to-warehouse", "orders", "warehouse", Schedule.manual());
        cluster.requestSync("orders-to-warehouse", "first");
        cluster.awaitLastJob("orders-to-warehouse", "succeeded");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private void writeBigFile() throws Exception {
        try (BufferedWriter out =
                Files.newBufferedWriter(cluster.dataRoot.resolve("orders/big.csv"))) {
            out.write(HEADER);
            for (int i = 0; i < BIG_ROWS; i++) {
                out.write(Integer.toString(1000 + i));
                out.write(",customer-");
                out.write(Integer.toString(i % 9973));
                out.write(',');
                out.write(Integer.toString(i % 500));
                out.write(".25\n");
            }
        }
    }

    @Test
    void deletingARunningSyncJobCancelsItAndLeavesWarehouseAndCursorAsTheyWere() throws Exception {
        writeBigFile();
        cluster.requestSync("orders-to-warehouse", "second");

        // Delete the Job the moment the runner has started it, well before 2 M rows can land.
        await().atMost(OperatorHarness.WAIT)
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () ->
                                cluster.jobsOf("orders-to-warehouse").stream()
                                        .anyMatch(
                                                j ->
                                                        j.getStatus() != null
                                                                && j.getStatus().getStartTime()
                                                                        != null
                                                                && j.getStatus().getSucceeded()
                                                                        == null));
        Job running =
                cluster.jobsOf("orders-to-warehouse").stream()
                        .filter(j -> j.getStatus().getSucceeded() == null)
                        .findFirst()
                        .orElseThrow();
        cluster.client.resource(running).delete();

        Connection cancelled = cluster.awaitLastJob("orders-to-warehouse", "cancelled");
        assertThat(cancelled.getStatus().lastJob.name).isEqualTo(running.getMetadata().getName());
        assertThat(cluster.warehouseCount("select count(*) from raw_orders.orders")).isEqualTo(2);
        assertThat(cluster.store.logs(OperatorHarness.NS, "orders", 10))
                .extracting(LogEntry::level)
                .contains(LogLevel.WARNING);
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                cluster.client
                                        .pods()
                                        .inNamespace(OperatorHarness.NS)
                                        .withLabel("job-name", running.getMetadata().getName())
                                        .list()
                                        .getItems()
                                        .isEmpty());

        // The cursor did not move: the next sync loads the big file completely, once.
        cluster.requestSync("orders-to-warehouse", "third");
        cluster.awaitLastJob("orders-to-warehouse", "succeeded");
        assertThat(cluster.warehouseCount("select count(*) from raw_orders.orders"))
                .isEqualTo(2 + BIG_ROWS);
    }

    @Test
    void deletingAConnectionTakesItsJobsAndTheirPodsWithIt() {
        assertThat(cluster.jobsOf("orders-to-warehouse")).hasSize(1);

        cluster.client.resource(cluster.connection("orders-to-warehouse")).delete();

        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                cluster.jobsOf("orders-to-warehouse").isEmpty()
                                        && cluster.client
                                                .pods()
                                                .inNamespace(OperatorHarness.NS)
                                                .withLabel(
                                                        MillraceApi.CONNECTION_LABEL,
                                                        "orders-to-warehouse")
                                                .list()
                                                .getItems()
                                                .isEmpty());
    }
}
