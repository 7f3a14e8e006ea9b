package dev.millrace.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.store.job.JobQuery;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobRequest;
import dev.millrace.store.job.JobStatus;
import dev.millrace.store.job.JobType;
import dev.millrace.store.ledger.FileLedgerEntry;
import dev.millrace.store.log.LogEntry;
import dev.millrace.store.log.LogLevel;
import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.StoreTestBase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class StoreTest extends StoreTestBase {

    private static final int THREADS = 8;
    private static final int ROUNDS = 10;

    @Test
    void eightThreadsWritingAndReadingAtOnceAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Set<Long>>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    return workLikeAReconciler(thread);
                                }));
            }
            start.countDown();

            Set<Long> pipelineIds = new HashSet<>();
            for (Future<Set<Long>> worker : workers) {
                // get() rethrows whatever a worker hit, e.g. a DuckDB transaction conflict.
                pipelineIds.addAll(worker.get(60, TimeUnit.SECONDS));
            }

            int total = THREADS * ROUNDS;
            assertThat(pipelineIds)
                    .containsExactlyInAnyOrderElementsOf(
                            LongStream.rangeClosed(1, total).boxed().toList());
            assertThat(store.countJobs(JobQuery.all())).isEqualTo(total);
            assertThat(store.countJobs(JobQuery.all().withStatuses(JobStatus.SUCCEEDED)))
                    .isEqualTo(total);
            assertThat(store.logs("team-a", null, 10 * total)).hasSize(total);
            assertThat(store.fileLedger("team-a", "sales")).hasSize(THREADS);
        } finally {
            pool.shutdownNow();
        }
    }

    /** What one operator or API thread does to the store; returns the pipeline ids it got. */
    private Set<Long> workLikeAReconciler(int thread) {
        Set<Long> ids = new HashSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            String name = "t" + thread + "-r" + round;
            ids.add(store.idFor("Pipeline", "team-a", name, "uid-" + name));
            JobRecord job =
                    store.allocateJob(
                            new JobRequest(
                                    "team-a",
                                    "cxn-" + thread,
                                    "uid-cxn-" + thread,
                                    "sales",
                                    "round-" + round,
                                    JobType.SYNC,
                                    false));
            store.markRunning(job.id(), Instant.now());
            store.appendLog(
                    new LogEntry(Instant.now(), "team-a", "sales", job.id(), LogLevel.INFO, name));
            store.complete(job.id(), JobStatus.SUCCEEDED, Instant.now(), round, round, null, null);
            store.replaceFileLedger(
                    "team-a",
                    "sales",
                    "stream-" + thread,
                    List.of(
                            new FileLedgerEntry(
                                    "/data/" + thread + ".csv", 10, null, round, job.id(), null)));
            store.jobs(JobQuery.all().forConnection("cxn-" + thread).page(5, 0));
            store.activeJobs("team-a", "cxn-" + thread);
        }
        return ids;
    }

    @Test
    void aClosedStoreRefusesEveryCall() {
        store.close();

        assertThatThrownBy(() -> store.findJob(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> store.idFor("Pipeline", "team-a", "orders", "uid"))
                .isInstanceOf(IllegalStateException.class);
        store.close();
    }
}
