package dev.millrace.store.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.StoreTestBase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class JobHistoryTest extends StoreTestBase {

    private static final Instant STARTED = Instant.parse("2025-12-09T08:00:05Z");
    private static final Instant ENDED = Instant.parse("2025-12-09T08:00:45Z");

    private static JobRequest request(String namespace, String connection, String key) {
        return new JobRequest(
                namespace,
                connection,
                "uid-" + namespace + "-" + connection,
                connection + "-source",
                key,
                JobType.SYNC,
                false);
    }

    private static JobRequest request(String connection, String key) {
        return request("team-a", connection, key);
    }

    @Test
    void allocatingCreatesAPendingJobWithEverythingTheRequestSaid() {
        Instant before = Instant.now().minusSeconds(1);
        JobRequest reset =
                new JobRequest(
                        "team-a",
                        "orders",
                        "uid-orders",
                        "shop-db",
                        "manual-1",
                        JobType.RESET,
                        true);

        JobRecord job = store.allocateJob(reset);

        assertThat(job.id()).isPositive();
        assertThat(job)
                .extracting(
                        JobRecord::namespace,
                        JobRecord::connection,
                        JobRecord::connectionUid,
                        JobRecord::source,
                        JobRecord::requestKey,
                        JobRecord::type,
                        JobRecord::status,
                        JobRecord::fullRefresh)
                .containsExactly(
                        "team-a",
                        "orders",
                        "uid-orders",
                        "shop-db",
                        "manual-1",
                        JobType.RESET,
                        JobStatus.PENDING,
                        true);
        assertThat(job.createdAt()).isAfter(before).isBefore(Instant.now().plusSeconds(1));
        assertThat(job.startedAt()).isNull();
        assertThat(job.endedAt()).isNull();
        assertThat(job.rowsSynced()).isZero();
        assertThat(job.error()).isNull();
        assertThat(store.findJob(job.id())).contains(job);
    }

    @Test
    void allocatingAgainWithTheSameRequestKeyReturnsTheSameJob() {
        JobRecord first = store.allocateJob(request("orders", "manual-1"));

        JobRecord again = store.allocateJob(request("orders", "manual-1"));

        assertThat(again).isEqualTo(first);
        assertThat(store.countJobs(JobQuery.all())).isEqualTo(1);
    }

    @Test
    void theFirstRequestWinsWhenARetryDiffersInOtherFields() {
        JobRecord first = store.allocateJob(request("orders", "manual-1"));
        JobRequest retryAsFullRefresh =
                new JobRequest(
                        "team-a",
                        "orders",
                        first.connectionUid(),
                        first.source(),
                        "manual-1",
                        JobType.SYNC,
                        true);

        assertThat(store.allocateJob(retryAsFullRefresh)).isEqualTo(first);
    }

    @Test
    void jobIdsComeFromOneSequenceAcrossConnectionsAndNamespaces() {
        long a = store.allocateJob(request("team-a", "orders", "k")).id();
        long b = store.allocateJob(request("team-b", "orders", "k")).id();
        long c = store.allocateJob(request("team-a", "refunds", "k")).id();
        long d = store.allocateJob(request("team-a", "orders", "k2")).id();

        assertThat(List.of(a, b, c, d)).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void allocatingTheSameRequestFromEightThreadsAtOnceCreatesExactlyOneJob() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<JobRecord>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    return store.allocateJob(request("orders", "schedule-0800"));
                                }));
            }
            start.countDown();

            List<Long> ids = new ArrayList<>();
            for (Future<JobRecord> result : results) {
                ids.add(result.get(30, TimeUnit.SECONDS).id());
            }

            assertThat(ids).hasSize(threads).containsOnly(ids.get(0));
            assertThat(store.countJobs(JobQuery.all())).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aJobMovesFromPendingThroughQueuedAndRunningToSucceeded() {
        long id = store.allocateJob(request("orders", "manual-1")).id();

        store.markQueued(id);
        assertThat(store.findJob(id).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);

        store.markRunning(id, STARTED);
        assertThat(store.findJob(id).orElseThrow())
                .extracting(JobRecord::status, JobRecord::startedAt)
                .containsExactly(JobStatus.RUNNING, STARTED);

        boolean ended =
                store.complete(
                        id, JobStatus.SUCCEEDED, ENDED, 1523, 52_428_800L, null, "{\"rows\":1523}");

        assertThat(ended).isTrue();
        JobRecord job = store.findJob(id).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.startedAt()).isEqualTo(STARTED);
        assertThat(job.endedAt()).isEqualTo(ENDED);
        assertThat(job.rowsSynced()).isEqualTo(1523);
        assertThat(job.bytesSynced()).isEqualTo(52_428_800L);
        assertThat(job.error()).isNull();
        assertThat(job.resultJson()).isEqualTo("{\"rows\":1523}");
    }

    @Test
    void aRepeatedStartKeepsTheFirstStartTime() {
        long id = store.allocateJob(request("orders", "manual-1")).id();
        store.markRunning(id, STARTED);

        store.markRunning(id, STARTED.plusSeconds(60));

        assertThat(store.findJob(id).orElseThrow().startedAt()).isEqualTo(STARTED);
    }

    @Test
    void queuingARunningJobLeavesItRunning() {
        long id = store.allocateJob(request("orders", "manual-1")).id();
        store.markRunning(id, STARTED);

        store.markQueued(id);

        assertThat(store.findJob(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void completingAJobThatHasEndedChangesNothingAndSaysSo() {
        long id = store.allocateJob(request("orders", "manual-1")).id();
        store.markRunning(id, STARTED);
        assertThat(store.complete(id, JobStatus.FAILED, ENDED, 10, 100, "source unreachable", null))
                .isTrue();
        JobRecord failed = store.findJob(id).orElseThrow();

        boolean endedAgain =
                store.complete(id, JobStatus.SUCCEEDED, ENDED.plusSeconds(5), 99, 999, null, "{}");

        assertThat(endedAgain).isFalse();
        assertThat(store.findJob(id)).contains(failed);
    }

    @Test
    void anEndedJobIsNotStartedOrQueuedAgain() {
        long id = store.allocateJob(request("orders", "manual-1")).id();
        store.complete(id, JobStatus.CANCELLED, ENDED, 0, 0, null, null);

        store.markRunning(id, STARTED);
        store.markQueued(id);

        JobRecord job = store.findJob(id).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job.startedAt()).isNull();
    }

    @Test
    void completingWithAStatusThatIsNotTerminalIsRejected() {
        long id = store.allocateJob(request("orders", "manual-1")).id();

        assertThatThrownBy(() -> store.complete(id, JobStatus.RUNNING, ENDED, 0, 0, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RUNNING");
        assertThat(store.findJob(id).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void changingAJobThatWasNeverAllocatedFails() {
        assertThatThrownBy(() -> store.markRunning(4711, STARTED))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("4711");
        assertThatThrownBy(() -> store.markQueued(4711)).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> store.complete(4711, JobStatus.SUCCEEDED, ENDED, 0, 0, null, null))
                .isInstanceOf(NoSuchElementException.class);
        assertThat(store.findJob(4711)).isEmpty();
    }

    @Test
    void jobsAreListedNewestFirstAndFilteredByNamespaceConnectionSourceStatusAndType() {
        long ordersSucceeded = store.allocateJob(request("orders", "1")).id();
        store.complete(ordersSucceeded, JobStatus.SUCCEEDED, ENDED, 1, 1, null, null);
        long ordersFailed = store.allocateJob(request("orders", "2")).id();
        store.complete(ordersFailed, JobStatus.FAILED, ENDED, 0, 0, "boom", null);
        long refundsRunning = store.allocateJob(request("refunds", "1")).id();
        store.markRunning(refundsRunning, STARTED);
        long ordersReset =
                store.allocateJob(
                                new JobRequest(
                                        "team-a",
                                        "orders",
                                        "uid-team-a-orders",
                                        "orders-source",
                                        "3",
                                        JobType.RESET,
                                        true))
                        .id();
        long otherTeam = store.allocateJob(request("team-b", "orders", "1")).id();

        assertThat(ids(JobQuery.all()))
                .containsExactly(
                        otherTeam, ordersReset, refundsRunning, ordersFailed, ordersSucceeded);
        assertThat(ids(JobQuery.all().inNamespace("team-a").forConnection("orders")))
                .containsExactly(ordersReset, ordersFailed, ordersSucceeded);
        assertThat(ids(JobQuery.all().forSource("refunds-source"))).containsExactly(refundsRunning);
        assertThat(ids(JobQuery.all().withStatuses(JobStatus.SUCCEEDED, JobStatus.RUNNING)))
                .containsExactly(refundsRunning, ordersSucceeded);
        assertThat(ids(JobQuery.all().ofType(JobType.RESET))).containsExactly(ordersReset);
        assertThat(
                        ids(
                                JobQuery.all()
                                        .inNamespace("team-a")
                                        .forConnection("orders")
                                        .withStatuses(JobStatus.PENDING)
                                        .ofType(JobType.SYNC)))
                .isEmpty();
        assertThat(store.countJobs(JobQuery.all().inNamespace("team-a"))).isEqualTo(4);
    }

    @Test
    void jobsArePagedWithLimitAndOffsetWhileTheCountIgnoresThePage() {
        List<Long> allocated = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            allocated.add(store.allocateJob(request("orders", "run-" + i)).id());
        }
        List<Long> newestFirst = new ArrayList<>(allocated);
        Collections.reverse(newestFirst);

        assertThat(ids(JobQuery.all().page(3, 0))).isEqualTo(newestFirst.subList(0, 3));
        assertThat(ids(JobQuery.all().page(3, 3))).isEqualTo(newestFirst.subList(3, 6));
        assertThat(ids(JobQuery.all().page(3, 6))).isEqualTo(newestFirst.subList(6, 7));
        assertThat(ids(JobQuery.all().page(3, 9))).isEmpty();
        assertThat(store.countJobs(JobQuery.all().page(3, 6))).isEqualTo(7);
    }

    @Test
    void aQueryPageMustHoldAtLeastOneJobAndCannotStartBeforeTheFirst() {
        assertThatThrownBy(() -> JobQuery.all().page(0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobQuery.all().page(10, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void activeJobsAreTheConnectionsJobsThatHaveNotEnded() {
        long pending = store.allocateJob(request("orders", "1")).id();
        long running = store.allocateJob(request("orders", "2")).id();
        store.markRunning(running, STARTED);
        long succeeded = store.allocateJob(request("orders", "3")).id();
        store.complete(succeeded, JobStatus.SUCCEEDED, ENDED, 0, 0, null, null);
        store.allocateJob(request("refunds", "1"));

        assertThat(store.activeJobs("team-a", "orders"))
                .extracting(JobRecord::id)
                .containsExactly(running, pending);
        assertThat(store.activeJobs("team-b", "orders")).isEmpty();
    }

    @Test
    void jobHistorySurvivesReopen() {
        JobRecord job = store.allocateJob(request("orders", "manual-1"));
        store.markRunning(job.id(), STARTED);
        store.complete(job.id(), JobStatus.SUCCEEDED, ENDED, 5, 50, null, "{\"ok\":true}");
        JobRecord finished = store.findJob(job.id()).orElseThrow();

        reopen();

        assertThat(store.findJob(job.id())).contains(finished);
        assertThat(store.allocateJob(request("orders", "manual-1"))).isEqualTo(finished);
        assertThat(store.allocateJob(request("orders", "manual-2")).id()).isGreaterThan(job.id());
    }

    private List<Long> ids(JobQuery query) {
        return store.jobs(query).stream().map(JobRecord::id).toList();
    }
}
