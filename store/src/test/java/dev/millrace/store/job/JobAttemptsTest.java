package dev.millrace.store.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.StoreTestBase;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class JobAttemptsTest extends StoreTestBase {

    private static final Instant T0 = Instant.parse("2026-11-22T06:00:00Z");

    private JobRecord queuedJob() {
        JobRecord job =
                store.allocateJob(
                        new JobRequest(
                                "team-a",
                                "orders",
                                "uid-orders",
                                "shop",
                                "manual:1",
                                JobType.SYNC,
                                false));
        store.markQueued(job.id());
        return job;
    }

    @Test
    void beginningAnAttemptRunsTheJobAndBeginningItAgainReturnsTheFirstRecord() {
        JobRecord job = queuedJob();

        AttemptRecord first = store.jobAttempts().begin(job.id(), 1, "orders-1", "token-a", T0);
        AttemptRecord replay =
                store.jobAttempts().begin(job.id(), 1, "orders-1", "token-b", T0.plusSeconds(9));

        assertThat(first.status()).isEqualTo(AttemptStatus.RUNNING);
        assertThat(replay.progressToken()).isEqualTo("token-a");
        assertThat(replay.createdAt()).isEqualTo(T0);
        assertThat(store.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(store.findJob(job.id()).orElseThrow().startedAt()).isEqualTo(T0);
        assertThat(replay.toString()).doesNotContain("token-a");
    }

    @Test
    void aFailedAttemptLeavesTheJobIncompleteAndTheNextAttemptRunsItAgain() {
        JobRecord job = queuedJob();
        store.jobAttempts().begin(job.id(), 1, "orders-1", "t1", T0);

        assertThat(
                        store.jobAttempts()
                                .end(
                                        job.id(),
                                        1,
                                        AttemptStatus.FAILED,
                                        T0.plusSeconds(5),
                                        0,
                                        0,
                                        "boom",
                                        true))
                .isTrue();
        store.jobAttempts().markIncomplete(job.id());
        assertThat(store.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.INCOMPLETE);

        store.jobAttempts().begin(job.id(), 2, "orders-1-a2", "t2", T0.plusSeconds(20));
        assertThat(store.findJob(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(store.findJob(job.id()).orElseThrow().startedAt()).isEqualTo(T0);
        assertThat(store.jobAttempts().of(job.id()))
                .extracting(
                        AttemptRecord::attempt,
                        AttemptRecord::jobName,
                        AttemptRecord::status,
                        AttemptRecord::error,
                        AttemptRecord::retryable)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                1, "orders-1", AttemptStatus.FAILED, "boom", true),
                        org.assertj.core.groups.Tuple.tuple(
                                2, "orders-1-a2", AttemptStatus.RUNNING, null, null));
    }

    @Test
    void anEndedAttemptNeverChangesAgain() {
        JobRecord job = queuedJob();
        store.jobAttempts().begin(job.id(), 1, "orders-1", "t1", T0);
        store.jobAttempts()
                .end(job.id(), 1, AttemptStatus.SUCCEEDED, T0.plusSeconds(3), 7, 70, null, null);

        boolean again =
                store.jobAttempts()
                        .end(
                                job.id(),
                                1,
                                AttemptStatus.CANCELLED,
                                T0.plusSeconds(4),
                                0,
                                0,
                                "x",
                                null);

        assertThat(again).isFalse();
        AttemptRecord attempt = store.jobAttempts().latest(job.id()).orElseThrow();
        assertThat(attempt.status()).isEqualTo(AttemptStatus.SUCCEEDED);
        assertThat(attempt.rowsSynced()).isEqualTo(7);
        assertThat(attempt.endedAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void progressWithTheAttemptsTokenMovesTheLiveCountsOfAttemptAndJob() {
        JobRecord job = queuedJob();
        store.jobAttempts().begin(job.id(), 1, "orders-1", "secret-ish", T0);

        boolean accepted =
                store.jobAttempts()
                        .reportProgress(job.id(), 1, "secret-ish", "orders", 1200, 48_000, T0);

        assertThat(accepted).isTrue();
        AttemptRecord attempt = store.jobAttempts().latest(job.id()).orElseThrow();
        assertThat(attempt.progressStream()).isEqualTo("orders");
        assertThat(attempt.rowsSynced()).isEqualTo(1200);
        assertThat(attempt.progressAt()).isEqualTo(T0);
        JobRecord live = store.findJob(job.id()).orElseThrow();
        assertThat(live.rowsSynced()).isEqualTo(1200);
        assertThat(live.bytesSynced()).isEqualTo(48_000);
    }

    @Test
    void progressWithAWrongTokenOrAfterTheEndIsRefused() {
        JobRecord job = queuedJob();
        store.jobAttempts().begin(job.id(), 1, "orders-1", "right", T0);

        assertThat(store.jobAttempts().reportProgress(job.id(), 1, "wrong", "s", 5, 5, T0))
                .isFalse();
        store.jobAttempts()
                .end(job.id(), 1, AttemptStatus.SUCCEEDED, T0.plusSeconds(1), 3, 30, null, null);
        assertThat(store.jobAttempts().reportProgress(job.id(), 1, "right", "s", 99, 99, T0))
                .isFalse();

        assertThat(store.jobAttempts().latest(job.id()).orElseThrow().rowsSynced()).isEqualTo(3);
    }

    @Test
    void attemptsSurviveAReopenedStore() {
        JobRecord job = queuedJob();
        store.jobAttempts().begin(job.id(), 1, "orders-1", "t", T0);

        reopen();

        assertThat(store.jobAttempts().of(job.id())).hasSize(1);
    }
}
