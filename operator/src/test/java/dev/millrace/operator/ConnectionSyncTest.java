package dev.millrace.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.millrace.crds.common.Conditions;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.crds.connection.ScheduleType;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceStatus;
import dev.millrace.operator.job.SyncJobFactory;
import dev.millrace.store.job.JobQuery;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.log.LogEntry;
import dev.millrace.store.log.LogLevel;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSyncTest {
    private static final String HEADER = "order_id,customer,amount\n";

    @TempDir Path tmp;
    private OperatorHarness cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = OperatorHarness.started(tmp);
        cluster.csvFolder(
                "orders",
                Map.of(
                        "a.csv", HEADER + "1,ada,10.5\n2,bob,20\n3,cy,7.25\n",
                        "b.csv", HEADER + "4,dee,1\n5,eve,2\n"));
        cluster.csvSource("orders", "orders");
        cluster.warehouse("warehouse");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void syncAnnotationRunsOneOwnedJobAndLandsTheRowsInTheWarehouse() throws Exception {
        cluster.connection("orders-to-warehouse", "orders", "warehouse", Schedule.manual());
        cluster.requestSync("orders-to-warehouse", "req-1");

        Connection done = cluster.awaitLastJob("orders-to-warehouse", "succeeded");

        assertThat(cluster.warehouseCount("select count(*) from raw_orders.orders")).isEqualTo(5);
        assertThat(done.getStatus().lastJob.rowsSynced).isEqualTo(5);
        assertThat(done.getStatus().streams)
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.table).isEqualTo("raw_orders.orders");
                            assertThat(s.rowCount).isEqualTo(5);
                        });
        assertThat(Conditions.isTrue(done.getStatus().conditions, Conditions.READY)).isTrue();
        assertThat(done.getStatus().observedGeneration)
                .isEqualTo(done.getMetadata().getGeneration());

        List<Job> jobs = cluster.jobsOf("orders-to-warehouse");
        assertThat(jobs)
                .singleElement()
                .satisfies(
                        job -> {
                            long id = done.getStatus().lastJob.id;
                            assertThat(job.getMetadata().getName())
                                    .isEqualTo(SyncJobFactory.jobName("orders-to-warehouse", id));
                            assertThat(job.getMetadata().getOwnerReferences())
                                    .singleElement()
                                    .satisfies(
                                            o ->
                                                    assertThat(o.getUid())
                                                            .isEqualTo(
                                                                    done.getMetadata().getUid()));
                            assertThat(job.getMetadata().getLabels())
                                    .containsEntry(MillraceApi.JOB_ID_LABEL, Long.toString(id))
                                    .containsEntry(
                                            MillraceApi.CONNECTION_LABEL, "orders-to-warehouse");
                        });

        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                cluster.source("orders").getStatus() != null
                                        && cluster.source("orders").getStatus().status
                                                == SourceStatus.Phase.SYNCED);
        Source source = cluster.source("orders");
        assertThat(source.getStatus().rowCount).isEqualTo(5);
        assertThat(source.getStatus().tables)
                .singleElement()
                .satisfies(
                        t -> {
                            assertThat(t.schema).isEqualTo("raw_orders");
                            assertThat(t.name).isEqualTo("orders");
                            assertThat(t.rowCount).isEqualTo(5);
                        });
        assertThat(cluster.store.logs(OperatorHarness.NS, "orders", 10))
                .extracting(LogEntry::level)
                .contains(LogLevel.INFO, LogLevel.SUCCESS);
    }

    @Test
    void aRequestSeenAgainAfterAnOperatorRestartNeverCreatesASecondJob() throws Exception {
        cluster.connection("orders-to-warehouse", "orders", "warehouse", Schedule.manual());
        cluster.requestSync("orders-to-warehouse", "req-1");
        cluster.awaitLastJob("orders-to-warehouse", "succeeded");

        // As if the operator had died after creating the Job but before removing the annotation.
        cluster.stopOperator();
        cluster.requestSync("orders-to-warehouse", "req-1");
        cluster.startOperator();

        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                !cluster.connection("orders-to-warehouse")
                                        .getMetadata()
                                        .getAnnotations()
                                        .containsKey(MillraceApi.SYNC_ANNOTATION));
        assertThat(cluster.jobsOf("orders-to-warehouse")).hasSize(1);
        assertThat(cluster.store.jobs(JobQuery.all().forConnection("orders-to-warehouse")))
                .hasSize(1);
        assertThat(cluster.warehouseCount("select count(*) from raw_orders.orders")).isEqualTo(5);
    }

    @Test
    void aJobThatFinishesWhileTheOperatorIsDownIsRecordedOnceAfterRestart() throws Exception {
        // A cluster whose Job ran while the operator was away: the Job is created, the operator
        // goes down, the Job runs and finishes, then the operator comes back.
        cluster.close();
        cluster = new OperatorHarness(tmp.resolve("second"));
        cluster.csvFolder("orders", Map.of("a.csv", HEADER + "1,ada,10.5\n2,bob,20\n"));
        cluster.csvSource("orders", "orders");
        cluster.warehouse("warehouse");
        cluster.startOperator();
        cluster.connection("orders-to-warehouse", "orders", "warehouse", Schedule.manual());
        cluster.requestSync("orders-to-warehouse", "req-1");
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () -> {
                            Connection c = cluster.connection("orders-to-warehouse");
                            return !cluster.jobsOf("orders-to-warehouse").isEmpty()
                                    && !c.getMetadata()
                                            .getAnnotations()
                                            .containsKey(MillraceApi.SYNC_ANNOTATION)
                                    && Conditions.isTrue(c.getStatus().conditions, "Syncing")
                                    && cluster.source("orders").getStatus() != null
                                    && cluster.source("orders").getStatus().status
                                            == SourceStatus.Phase.SYNCING;
                        });
        cluster.stopOperator();

        cluster.startRunner();
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                cluster.jobsOf("orders-to-warehouse").stream()
                                        .allMatch(
                                                j ->
                                                        j.getStatus() != null
                                                                && j.getStatus().getSucceeded()
                                                                        != null));
        assertThat(cluster.store.jobs(JobQuery.all().forConnection("orders-to-warehouse")))
                .singleElement()
                .satisfies(r -> assertThat(r.status().isTerminal()).isFalse());

        cluster.startOperator();

        Connection done = cluster.awaitLastJob("orders-to-warehouse", "succeeded");
        assertThat(done.getStatus().lastJob.rowsSynced).isEqualTo(2);
        List<JobRecord> history =
                cluster.store.jobs(JobQuery.all().forConnection("orders-to-warehouse"));
        assertThat(history).singleElement().satisfies(r -> assertThat(r.rowsSynced()).isEqualTo(2));
        assertThat(cluster.jobsOf("orders-to-warehouse")).hasSize(1);
        assertThat(cluster.warehouseCount("select count(*) from raw_orders.orders")).isEqualTo(2);
    }

    @Test
    void aMalformedFileFailsTheSyncAndLeavesTheWarehouseAsItWas() throws Exception {
        cluster.connection("orders-to-warehouse", "orders", "warehouse", Schedule.manual());
        cluster.requestSync("orders-to-warehouse", "req-1");
        cluster.awaitLastJob("orders-to-warehouse", "succeeded");

        Files.writeString(
                cluster.dataRoot.resolve("orders/c.csv"),
                HEADER + "6,fay,3\n7,\"unterminated,4\n8,gus,5,extra,columns\n");
        cluster.requestSync("orders-to-warehouse", "req-2");

        Connection failed = cluster.awaitLastJob("orders-to-warehouse", "failed");
        assertThat(failed.getStatus().lastJob.error).isNotBlank();
        assertThat(cluster.warehouseCount("select count(*) from raw_orders.orders")).isEqualTo(5);
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () ->
                                cluster.source("orders").getStatus().status
                                        == SourceStatus.Phase.FAILED);
        Source source = cluster.source("orders");
        assertThat(source.getStatus().lastError).isEqualTo(failed.getStatus().lastJob.error);
        assertThat(source.getStatus().rowCount).isEqualTo(5);
        assertThat(cluster.store.logs(OperatorHarness.NS, "orders", 10))
                .extracting(LogEntry::level)
                .contains(LogLevel.ERROR);

        // The cursor did not move: once the bad file is fixed, its rows arrive exactly once.
        Files.writeString(cluster.dataRoot.resolve("orders/c.csv"), HEADER + "6,fay,3\n");
        cluster.requestSync("orders-to-warehouse", "req-3");
        cluster.awaitLastJob("orders-to-warehouse", "succeeded");
        assertThat(cluster.warehouseCount("select count(*) from raw_orders.orders")).isEqualTo(6);
    }

    @Test
    void aBasicScheduleSyncsAtCreationAndAnnouncesTheNextSlot() throws Exception {
        Schedule every6h = new Schedule();
        every6h.scheduleType = ScheduleType.BASIC;
        every6h.basicTiming = "every_6_hours";
        cluster.connection("orders-to-warehouse", "orders", "warehouse", every6h);

        Connection done = cluster.awaitLastJob("orders-to-warehouse", "succeeded");

        assertThat(done.getStatus().lastScheduledAt).isNotNull();
        assertThat(java.time.Instant.parse(done.getStatus().nextSyncAt))
                .isEqualTo(
                        java.time.Instant.parse(done.getStatus().lastScheduledAt)
                                .plus(Duration.ofHours(6))
                                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(cluster.jobsOf("orders-to-warehouse")).hasSize(1);
    }

    @Test
    void aConnectionToAMissingSourceIsNotReadyAndSaysWhy() {
        cluster.connection("ghost-to-warehouse", "ghost", "warehouse", Schedule.manual());

        await().atMost(OperatorHarness.WAIT)
                .until(
                        () -> {
                            Connection c = cluster.connection("ghost-to-warehouse");
                            return c.getStatus() != null
                                    && Conditions.find(c.getStatus().conditions, Conditions.READY)
                                            .map(
                                                    r ->
                                                            "SourceNotFound".equals(r.getReason())
                                                                    && "False"
                                                                            .equals(r.getStatus()))
                                            .orElse(false);
                        });
    }
}
