package dev.millrace.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.destination.DestinationSpec;
import dev.millrace.crds.destination.DestinationType;
import dev.millrace.operator.destination.DestinationLease;
import dev.millrace.store.job.AttemptRecord;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobStatus;
import dev.millrace.store.log.LogEntry;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
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

/**
 * Jobs that write one DuckDB file run one at a time (a Lease per destination); the waiting one is
 * queued, visibly, and its Job is created only when it may write.
 */
class JobQueueingTest {
    private static final String HEADER = "order_id,customer,amount\n";
    private static final int BIG_ROWS = 2_500_000;

    @TempDir Path tmp;
    private OperatorHarness cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = OperatorHarness.started(tmp);
        cluster.csvFolder("orders", Map.of("a.csv", HEADER + "1,ada,10.5\n"));
        writeBigFile(cluster.dataRoot.resolve("orders/big.csv"));
        cluster.csvFolder("customers", Map.of("c.csv", "id,name\n1,ada\n2,bob\n"));
        cluster.csvSource("orders", "orders");
        cluster.csvSource("customers", "customers");
        cluster.warehouse("warehouse");
        cluster.connection("orders-to-warehouse", "orders", "warehouse", Schedule.manual());
        cluster.connection("customers-to-warehouse", "customers", "warehouse", Schedule.manual());
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private static void writeBigFile(Path file) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
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

    private Job awaitRunningJob(String connection) {
        await().atMost(OperatorHarness.WAIT)
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () ->
                                cluster.jobsOf(connection).stream()
                                        .anyMatch(
                                                j ->
                                                        j.getStatus() != null
                                                                && j.getStatus().getStartTime()
                                                                        != null
                                                                && j.getStatus().getSucceeded()
                                                                        == null
                                                                && j.getStatus().getFailed()
                                                                        == null));
        return cluster.jobsOf(connection).get(0);
    }

    private Connection awaitQueued(String connection) {
        await().atMost(OperatorHarness.WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            Connection c = cluster.connection(connection);
                            return c.getStatus() != null
                                    && c.getStatus().lastJob != null
                                    && "queued".equals(c.getStatus().lastJob.status);
                        });
        return cluster.connection(connection);
    }

    private boolean running(String connection) {
        Connection c = cluster.connection(connection);
        return c.getStatus() != null
                && c.getStatus().lastJob != null
                && "running".equals(c.getStatus().lastJob.status);
    }

    @Test
    void aSecondSyncToTheSameDuckDbFileIsQueuedUntilTheFirstFinishesThenRuns() throws Exception {
        cluster.requestSync("orders-to-warehouse", "first");
        Job first = awaitRunningJob("orders-to-warehouse");

        cluster.requestSync("customers-to-warehouse", "second");
        Connection queued = awaitQueued("customers-to-warehouse");

        // Queued everywhere a person looks, and no pod waits for the DuckDB lock meanwhile.
        assertThat(running("orders-to-warehouse")).isTrue();
        assertThat(cluster.jobsOf("customers-to-warehouse")).isEmpty();
        JobRecord waiting = cluster.store.findJob(queued.getStatus().lastJob.id).orElseThrow();
        assertThat(waiting.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(queued.getStatus().conditions)
                .anySatisfy(
                        c -> {
                            assertThat(c.getType()).isEqualTo("Syncing");
                            assertThat(c.getReason()).isEqualTo("Queued");
                        });
        assertThat(
                        cluster
                                .client
                                .v1()
                                .events()
                                .inNamespace(OperatorHarness.NS)
                                .list()
                                .getItems()
                                .stream()
                                .filter(e -> "SyncQueued".equals(e.getReason()))
                                .map(Event::getMessage))
                .singleElement()
                .asString()
                .contains("orders-to-warehouse-")
                .contains("warehouse");
        assertThat(
                        cluster.client
                                .leases()
                                .inNamespace(OperatorHarness.NS)
                                .withName(DestinationLease.leaseName("warehouse"))
                                .get()
                                .getSpec()
                                .getHolderIdentity())
                .isEqualTo(first.getMetadata().getName());

        Connection done = cluster.awaitLastJob("customers-to-warehouse", "succeeded");
        Connection orders = cluster.connection("orders-to-warehouse");
        assertThat(orders.getStatus().lastJob.status).isEqualTo("succeeded");
        // The second Job began only after the first had ended.
        JobRecord ordersJob = cluster.store.findJob(orders.getStatus().lastJob.id).orElseThrow();
        AttemptRecord customersAttempt =
                cluster.store.jobAttempts().latest(done.getStatus().lastJob.id).orElseThrow();
        assertThat(customersAttempt.createdAt()).isAfterOrEqualTo(ordersJob.endedAt());
        assertThat(cluster.warehouseCount("select count(*) from raw_customers.customers"))
                .isEqualTo(2);
        assertThat(cluster.warehouseCount("select count(*) from raw_orders.orders"))
                .isEqualTo(1 + BIG_ROWS);
    }

    /** The raw list of waiters on the warehouse's Lease, as written. */
    private String waitingOnWarehouse() {
        var lease =
                cluster.client
                        .leases()
                        .inNamespace(OperatorHarness.NS)
                        .withName(DestinationLease.leaseName("warehouse"))
                        .get();
        var annotations = lease == null ? null : lease.getMetadata().getAnnotations();
        String waiting =
                annotations == null ? null : annotations.get(DestinationLease.WAITING_ANNOTATION);
        return waiting == null ? "" : waiting;
    }

    @Test
    void aQueuedJobCancelledThroughTheApiLeavesTheDestinationsLineAtOnce() throws Exception {
        cluster.requestSync("orders-to-warehouse", "first");
        awaitRunningJob("orders-to-warehouse");
        cluster.requestSync("customers-to-warehouse", "second");
        long id = awaitQueued("customers-to-warehouse").getStatus().lastJob.id;
        String waiter = "customers-to-warehouse-" + id;
        assertThat(waitingOnWarehouse()).contains("\"" + waiter + "\"");

        // What DELETE /api/public/v1/jobs/{id} does to a job that has no Job yet: the API server
        // records it cancelled in the store; it cannot reach the Lease.
        java.time.Instant cancelled = java.time.Instant.now();
        cluster.store.complete(
                id, JobStatus.CANCELLED, cancelled, 0, 0, "cancelled through the API", null);

        // Gone well before a waiter that stopped asking expires (one minute after it last asked),
        // so it was taken out of the line, not left to time out.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !waitingOnWarehouse().contains("\"" + waiter + "\""));
        assertThat(java.time.Duration.between(cancelled, java.time.Instant.now()))
                .isLessThan(Duration.ofSeconds(50));
        assertThat(cluster.store.findJob(id).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cluster.jobsOf("customers-to-warehouse")).isEmpty();
    }

    @Test
    void aSyncToAnotherDestinationIsNotBlocked() throws Exception {
        Destination lake = new Destination();
        lake.setMetadata(
                new ObjectMetaBuilder().withName("lake").withNamespace(OperatorHarness.NS).build());
        lake.setSpec(new DestinationSpec());
        lake.getSpec().type = DestinationType.DUCKDB;
        lake.getSpec().path = "lake.duckdb";
        cluster.client.resource(lake).create();
        cluster.connection("customers-to-lake", "customers", "lake", Schedule.manual());

        cluster.requestSync("orders-to-warehouse", "first");
        awaitRunningJob("orders-to-warehouse");
        cluster.requestSync("customers-to-lake", "other");

        cluster.awaitLastJob("customers-to-lake", "succeeded");
        assertThat(running("orders-to-warehouse")).isTrue();
        cluster.awaitLastJob("orders-to-warehouse", "succeeded");
    }

    @Test
    void anOperatorRestartWhileOneJobRunsAndOneIsQueuedMakesNoSecondJobAndRecordsEachOnce()
            throws Exception {
        cluster.requestSync("orders-to-warehouse", "first");
        awaitRunningJob("orders-to-warehouse");
        cluster.requestSync("customers-to-warehouse", "second");
        awaitQueued("customers-to-warehouse");

        cluster.stopOperator();
        cluster.startOperator();

        Connection customers = cluster.awaitLastJob("customers-to-warehouse", "succeeded");
        Connection orders = cluster.awaitLastJob("orders-to-warehouse", "succeeded");
        assertThat(cluster.jobsOf("orders-to-warehouse")).hasSize(1);
        assertThat(cluster.jobsOf("customers-to-warehouse")).hasSize(1);
        assertThat(cluster.store.jobAttempts().of(orders.getStatus().lastJob.id)).hasSize(1);
        assertThat(cluster.store.jobAttempts().of(customers.getStatus().lastJob.id)).hasSize(1);
        assertThat(cluster.store.logs(OperatorHarness.NS, "orders", 50))
                .extracting(LogEntry::message)
                .filteredOn(m -> m.startsWith("Sync completed"))
                .hasSize(1);
        assertThat(cluster.store.logs(OperatorHarness.NS, "customers", 50))
                .extracting(LogEntry::message)
                .filteredOn(m -> m.startsWith("Sync completed"))
                .hasSize(1);
    }
}
