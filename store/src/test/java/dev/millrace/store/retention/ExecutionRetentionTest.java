package dev.millrace.store.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.store.anomaly.AnomalyRule;
import dev.millrace.store.anomaly.Evaluation;
import dev.millrace.store.check.CheckTarget;
import dev.millrace.store.check.DatePart;
import dev.millrace.store.check.Threshold;
import dev.millrace.store.execution.ExecutionEnd;
import dev.millrace.store.execution.ExecutionStart;
import dev.millrace.store.execution.Metric;
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
class ExecutionRetentionTest extends StoreTestBase {
    private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(90));

    private long run(long pipeline, Instant start, Long parent, long rows) {
        ExecutionStart s = ExecutionStart.of(pipeline, start);
        long id = store.executions().start(parent == null ? s : s.underParent(parent));
        store.executions()
                .end(ExecutionEnd.succeeded(id, start.plusSeconds(120), rows, rows, 0, 0));
        return id;
    }

    @Test
    void cleanupDeletesOnlyHistoryOlderThanTheCutoffInBatchesAndCountsEveryTable() {
        Instant old = CUTOFF.minus(Duration.ofDays(10));
        // Seven old roots, one old child and an anomaly on the last old root; two recent runs.
        long lastOld = 0;
        for (int i = 0; i < 7; i++) {
            lastOld = run(1, old.plusSeconds(3600L * i), null, 100);
        }
        long child = run(1, old.plusSeconds(3600L * 6 + 10), lastOld, 10);
        long recent = run(1, NOW.minus(Duration.ofDays(1)), null, 100);
        long recentChild = run(1, NOW.minus(Duration.ofDays(1)).plusSeconds(5), recent, 10);
        Evaluation anomalous =
                new Evaluation(
                        new AnomalyRule(1, 1, Metric.TOTAL_ROWS, 3, 30, 5),
                        lastOld,
                        Evaluation.Outcome.ANOMALOUS,
                        100.0,
                        5,
                        10.0,
                        1.0,
                        90.0,
                        7.0,
                        13.0,
                        old.atZone(java.time.ZoneOffset.UTC).getHour(),
                        old);
        store.anomalies().record(anomalous, old);
        // Every execution ran two minutes, one allowed: the timeliness check logs all ten late.
        store.checks()
                .timeliness(
                        List.of(new CheckTarget(1, new Threshold(1, DatePart.MINUTE))),
                        old.minusSeconds(1),
                        NOW);
        assertThat(store.checks().timelinessLogCount(1)).isEqualTo(10);
        // A freshness breach logged long ago.
        store.checks()
                .freshness(List.of(new CheckTarget(1, new Threshold(1, DatePart.MINUTE))), NOW);

        CleanupCounts counts = store.retention().deleteBefore(CUTOFF, 3);

        assertThat(counts.executions()).isEqualTo(8);
        assertThat(counts.anomalyResults()).isEqualTo(1);
        assertThat(counts.timelinessLogs()).isEqualTo(8);
        assertThat(store.checks().timelinessLogCount(1)).isEqualTo(2);
        // Eight depth-0 rows plus the old child's row under its parent.
        assertThat(counts.closureParentRows() + counts.closureChildRows()).isEqualTo(9);
        // The freshness breach was logged at NOW, after the cutoff: kept.
        assertThat(counts.freshnessLogs()).isZero();
        assertThat(store.checks().freshnessLogCount(1)).isEqualTo(1);

        assertThat(store.executions().find(child)).isEmpty();
        assertThat(store.executions().find(lastOld)).isEmpty();
        assertThat(store.executions().find(recent).orElseThrow().children())
                .extracting(e -> e.id())
                .containsExactly(recentChild);
        assertThat(store.executions().countOfPipeline(1)).isEqualTo(2);
        assertThat(store.anomalies().countForRule(1)).isZero();

        assertThat(store.retention().deleteBefore(CUTOFF, 3))
                .isEqualTo(new CleanupCounts(0, 0, 0, 0, 0, 0));
    }

    @Test
    void freshnessLogsWrittenBeforeTheCutoffAreDeleted() {
        Instant old = CUTOFF.minus(Duration.ofDays(30));
        for (long pipeline = 1; pipeline <= 5; pipeline++) {
            run(pipeline, old.minus(Duration.ofDays(2)), null, 10);
        }
        List<CheckTarget> targets =
                java.util.stream.LongStream.rangeClosed(1, 5)
                        .mapToObj(p -> new CheckTarget(p, new Threshold(1, DatePart.HOUR)))
                        .toList();
        assertThat(store.checks().freshness(targets, old)).hasSize(5);

        CleanupCounts counts = store.retention().deleteBefore(CUTOFF, 2);

        assertThat(counts.freshnessLogs()).isEqualTo(5);
        assertThat(counts.executions()).isEqualTo(5);
        for (long pipeline = 1; pipeline <= 5; pipeline++) {
            assertThat(store.checks().freshnessLogCount(pipeline)).isZero();
        }
    }
}
