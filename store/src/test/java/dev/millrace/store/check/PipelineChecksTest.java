package dev.millrace.store.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.store.execution.ExecutionEnd;
import dev.millrace.store.execution.ExecutionStart;
import dev.millrace.store.execution.ExecutionStatus;
import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.StoreTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class PipelineChecksTest extends StoreTestBase {

    private static final Instant NOW = Instant.parse("2026-03-31T12:00:00Z");

    private long loaded(long pipeline, Instant end, long inserts, long updates, long softDeletes) {
        long id = store.executions().start(ExecutionStart.of(pipeline, end.minusSeconds(30)));
        store.executions()
                .end(
                        ExecutionEnd.succeeded(
                                id,
                                end,
                                inserts + updates + softDeletes,
                                inserts,
                                updates,
                                softDeletes));
        return id;
    }

    private static CheckTarget target(long pipeline, int number, DatePart part) {
        return new CheckTarget(pipeline, new Threshold(number, part));
    }

    @Test
    void aPipelineIsStaleWhenItsNewestDmlPlusTheThresholdHasPassedAndIsLoggedOnce() {
        loaded(1, NOW.minus(Duration.ofHours(5)), 10, 0, 0);
        loaded(1, NOW.minus(Duration.ofHours(3)), 0, 4, 0);
        loaded(2, NOW.minus(Duration.ofMinutes(30)), 10, 0, 0);

        List<FreshnessBreach> first =
                store.checks()
                        .freshness(
                                List.of(target(1, 2, DatePart.HOUR), target(2, 2, DatePart.HOUR)),
                                NOW);

        assertThat(first)
                .singleElement()
                .satisfies(
                        b -> {
                            assertThat(b.pipelineId()).isEqualTo(1);
                            assertThat(b.lastDml()).isEqualTo(NOW.minus(Duration.ofHours(3)));
                            assertThat(b.deadline()).isEqualTo(NOW.minus(Duration.ofHours(1)));
                            assertThat(b.newlyLogged()).isTrue();
                        });
        List<FreshnessBreach> again =
                store.checks()
                        .freshness(List.of(target(1, 2, DatePart.HOUR)), NOW.plusSeconds(300));
        assertThat(again).singleElement().extracting(FreshnessBreach::newlyLogged).isEqualTo(false);
        assertThat(store.checks().freshnessLogCount(1)).isEqualTo(1);

        // A new load makes it fresh; going stale again is a new breach.
        loaded(1, NOW.plus(Duration.ofHours(1)), 1, 0, 0);
        assertThat(
                        store.checks()
                                .freshness(
                                        List.of(target(1, 2, DatePart.HOUR)),
                                        NOW.plus(Duration.ofHours(2))))
                .isEmpty();
        assertThat(
                        store.checks()
                                .freshness(
                                        List.of(target(1, 2, DatePart.HOUR)),
                                        NOW.plus(Duration.ofHours(4))))
                .singleElement()
                .extracting(FreshnessBreach::newlyLogged)
                .isEqualTo(true);
        assertThat(store.checks().freshnessLogCount(1)).isEqualTo(2);
    }

    @Test
    void freshnessUsesCalendarMonthsAndWeeks() {
        loaded(1, Instant.parse("2026-01-31T10:00:00Z"), 5, 0, 0);
        loaded(2, Instant.parse("2026-03-24T10:00:00Z"), 5, 0, 0);

        List<CheckTarget> targets =
                List.of(target(1, 1, DatePart.MONTH), target(2, 1, DatePart.WEEK));
        assertThat(store.checks().freshness(targets, Instant.parse("2026-02-28T10:00:00Z")))
                .isEmpty();
        assertThat(store.checks().freshness(targets, Instant.parse("2026-02-28T10:00:01Z")))
                .singleElement()
                .satisfies(
                        b -> {
                            assertThat(b.pipelineId()).isEqualTo(1);
                            assertThat(b.deadline())
                                    .isEqualTo(Instant.parse("2026-02-28T10:00:00Z"));
                        });
        assertThat(store.checks().freshness(targets, Instant.parse("2026-03-31T10:00:01Z")))
                .extracting(FreshnessBreach::pipelineId)
                .containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void pipelinesThatNeverChangedTheirTargetOrAreNotTargetedAreNotJudged() {
        long onlyFailed =
                store.executions().start(ExecutionStart.of(1, NOW.minus(Duration.ofDays(9))));
        store.executions().end(ExecutionEnd.failed(onlyFailed, NOW.minus(Duration.ofDays(8))));
        loaded(2, NOW.minus(Duration.ofDays(8)), 0, 0, 0);
        loaded(3, NOW.minus(Duration.ofDays(8)), 1, 0, 0);

        assertThat(
                        store.checks()
                                .freshness(
                                        List.of(
                                                target(1, 1, DatePart.DAY),
                                                target(2, 1, DatePart.DAY)),
                                        NOW))
                .isEmpty();
        assertThat(store.checks().freshness(List.of(), NOW)).isEmpty();
    }

    @Test
    void anExecutionIsLateWhenItRanOrIsRunningPastStartPlusTheThresholdAndIsLoggedOnce() {
        Instant start = NOW.minus(Duration.ofMinutes(50));
        long slowDone = store.executions().start(ExecutionStart.of(1, start));
        store.executions()
                .end(
                        ExecutionEnd.succeeded(
                                slowDone, start.plus(Duration.ofMinutes(40)), 1, 1, 0, 0));
        long quickDone = store.executions().start(ExecutionStart.of(1, start));
        store.executions()
                .end(
                        ExecutionEnd.succeeded(
                                quickDone, start.plus(Duration.ofMinutes(10)), 1, 1, 0, 0));
        long stillRunning = store.executions().start(ExecutionStart.of(1, start));
        long slowFailed = store.executions().start(ExecutionStart.of(1, start));
        store.executions().end(ExecutionEnd.failed(slowFailed, start.plus(Duration.ofMinutes(45))));
        long beforeLookback =
                store.executions().start(ExecutionStart.of(1, NOW.minus(Duration.ofHours(3))));
        long freshRunning =
                store.executions().start(ExecutionStart.of(1, NOW.minus(Duration.ofMinutes(5))));
        long otherPipeline = store.executions().start(ExecutionStart.of(2, start));

        List<LateExecution> late =
                store.checks()
                        .timeliness(
                                List.of(target(1, 30, DatePart.MINUTE)),
                                NOW.minus(Duration.ofHours(1)),
                                NOW);

        assertThat(late)
                .extracting(LateExecution::executionId)
                .containsExactlyInAnyOrder(slowDone, stillRunning);
        assertThat(late)
                .allSatisfy(
                        l -> {
                            assertThat(l.newlyLogged()).isTrue();
                            assertThat(l.deadline()).isEqualTo(start.plus(Duration.ofMinutes(30)));
                        });
        LateExecution running =
                late.stream()
                        .filter(l -> l.executionId() == stillRunning)
                        .findFirst()
                        .orElseThrow();
        assertThat(running.status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(running.end()).isNull();
        assertThat(running.runningSeconds()).isEqualTo(50 * 60);

        List<LateExecution> again =
                store.checks()
                        .timeliness(
                                List.of(target(1, 30, DatePart.MINUTE)),
                                NOW.minus(Duration.ofHours(1)),
                                NOW.plusSeconds(60));
        assertThat(again).hasSize(2).noneMatch(LateExecution::newlyLogged);
        assertThat(store.checks().timelinessLogCount(1)).isEqualTo(2);
        assertThat(List.of(quickDone, slowFailed, beforeLookback, freshRunning, otherPipeline))
                .doesNotContainAnyElementsOf(
                        again.stream().map(LateExecution::executionId).toList());
    }
}
