package dev.millrace.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionStatus;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobStatus;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running sync's progress shows in the Connection's status and in the store's job counts. */
class SyncProgressTest {
    private static final String HEADER = "order_id,customer,amount\n";
    private static final String CONNECTION = "orders-to-warehouse";

    @TempDir Path tmp;
    private OperatorHarness cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = OperatorHarness.started(tmp);
        Path dir = cluster.csvFolder("orders", Map.of());
        // Many files, so the sync runs for seconds and reports several times (every 300 ms here).
        for (int file = 0; file < 12; file++) {
            try (BufferedWriter out =
                    Files.newBufferedWriter(dir.resolve("part-" + file + ".csv"))) {
                out.write(HEADER);
                for (int i = 0; i < 200_000; i++) {
                    out.write(Integer.toString(file * 1_000_000 + i));
                    out.write(",customer-");
                    out.write(Integer.toString(i % 9973));
                    out.write(",2.5\n");
                }
            }
        }
        cluster.csvSource("orders", "orders");
        cluster.warehouse("warehouse");
        cluster.connection(CONNECTION, "orders", "warehouse", Schedule.manual());
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aLongSyncShowsItsStreamRowsAndBytesWhileItRunsAndTheStoreHasThemLive() throws Exception {
        List<ConnectionStatus.JobProgress> seen = new CopyOnWriteArrayList<>();
        List<JobRecord> liveJobs = new CopyOnWriteArrayList<>();
        cluster.requestSync(CONNECTION, "big");

        await().atMost(OperatorHarness.WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            Connection c = cluster.connection(CONNECTION);
                            var job = c.getStatus() == null ? null : c.getStatus().lastJob;
                            if (job != null
                                    && "running".equals(job.status)
                                    && job.progress != null) {
                                seen.add(job.progress);
                                JobRecord record = cluster.store.findJob(job.id).orElseThrow();
                                if (record.status() == JobStatus.RUNNING) {
                                    liveJobs.add(record);
                                }
                            }
                            return job != null && "succeeded".equals(job.status);
                        });

        assertThat(seen).isNotEmpty();
        // A report sent before the first stream starts (opening DuckDB, planning) names none.
        assertThat(seen)
                .filteredOn(p -> p.stream != null)
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p.stream).isEqualTo("orders"));
        assertThat(seen).allSatisfy(p -> assertThat(p.updatedAt).isNotBlank());
        assertThat(seen).anySatisfy(p -> assertThat(p.bytes).isPositive());
        assertThat(liveJobs).anySatisfy(j -> assertThat(j.bytesSynced()).isPositive());
        Connection done = cluster.connection(CONNECTION);
        assertThat(done.getStatus().lastJob.progress).isNull();
        assertThat(done.getStatus().lastJob.rowsSynced).isEqualTo(12 * 200_000L);
    }
}
