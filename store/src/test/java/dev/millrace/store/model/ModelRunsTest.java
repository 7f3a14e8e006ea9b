package dev.millrace.store.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobRequest;
import dev.millrace.store.job.JobType;
import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.StoreTestBase;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class ModelRunsTest extends StoreTestBase {
    private static final Instant STARTED = Instant.parse("2026-11-22T06:00:01Z");
    private static final Instant ENDED = Instant.parse("2026-11-22T06:00:03Z");

    private static ModelRunRequest request(String model, String key) {
        return new ModelRunRequest("team-a", model, "uid-" + model, key, true);
    }

    @Test
    void allocatingTheSameRequestTwiceGivesTheSameRunAndIdsAreSharedWithSyncJobs() {
        JobRecord sync =
                store.allocateJob(
                        new JobRequest(
                                "team-a", "orders", "uid-c", "orders", "k", JobType.SYNC, false));
        ModelRunRecord first = store.modelRuns().allocate(request("revenue", "manual:r1"));
        ModelRunRecord again = store.modelRuns().allocate(request("revenue", "manual:r1"));

        assertThat(again).isEqualTo(first);
        assertThat(first.id()).isGreaterThan(sync.id());
        assertThat(first.status()).isEqualTo(ModelRunStatus.PENDING);
        assertThat(first.cascade()).isTrue();
        assertThat(store.modelRuns().active("team-a", "revenue")).containsExactly(first);
    }

    @Test
    void aRunEndsOnceAndKeepsItsFirstOutcome() {
        long id = store.modelRuns().allocate(request("revenue", "manual:r1")).id();
        store.modelRuns().markRunning(id, STARTED);

        boolean ended =
                store.modelRuns().complete(id, ModelRunStatus.SUCCEEDED, ENDED, 42L, null, "{}");
        boolean endedAgain =
                store.modelRuns().complete(id, ModelRunStatus.FAILED, ENDED, null, "late", null);

        assertThat(ended).isTrue();
        assertThat(endedAgain).isFalse();
        ModelRunRecord run = reopen().modelRuns().find(id).orElseThrow();
        assertThat(run.status()).isEqualTo(ModelRunStatus.SUCCEEDED);
        assertThat(run.startedAt()).isEqualTo(STARTED);
        assertThat(run.endedAt()).isEqualTo(ENDED);
        assertThat(run.rowCount()).isEqualTo(42L);
        assertThat(run.error()).isNull();
        assertThat(store.modelRuns().active("team-a", "revenue")).isEmpty();
    }

    @Test
    void latestListsAModelsRunsNewestFirstAndFindsARunByItsRequest() {
        long skipped = store.modelRuns().allocate(request("revenue", "manual:r1")).id();
        store.modelRuns()
                .complete(skipped, ModelRunStatus.SKIPPED, ENDED, null, "upstream failed", null);
        long second = store.modelRuns().allocate(request("revenue", "manual:r2")).id();
        store.modelRuns().allocate(request("other", "manual:r2"));

        assertThat(store.modelRuns().latest("team-a", "revenue", 10))
                .extracting(ModelRunRecord::id)
                .containsExactly(second, skipped);
        assertThat(store.modelRuns().find("uid-revenue", "manual:r1"))
                .get()
                .satisfies(
                        r -> {
                            assertThat(r.status()).isEqualTo(ModelRunStatus.SKIPPED);
                            assertThat(r.error()).isEqualTo("upstream failed");
                        });
        assertThat(store.modelRuns().find("uid-revenue", "manual:r3")).isEmpty();
    }
}
