package dev.millrace.store.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.store.execution.ExecutionEnd;
import dev.millrace.store.execution.ExecutionStart;
import dev.millrace.store.execution.Metric;
import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.StoreTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class AnomalyDetectionTest extends StoreTestBase {

    private static final long PIPELINE = 7;

    /** 14:05 UTC on the day the judged executions run. */
    private static final Instant TODAY = Instant.parse("2026-03-31T14:05:00Z");

    private static final AnomalyRule TOTAL_ROWS =
            new AnomalyRule(1, PIPELINE, Metric.TOTAL_ROWS, 3, 30, 30);

    /**
     * A successful execution of {@code pipeline} that started at {@code start} and ran a minute.
     */
    private long succeeded(long pipeline, Instant start, long rows) {
        long id = store.executions().start(ExecutionStart.of(pipeline, start));
        store.executions().end(ExecutionEnd.succeeded(id, start.plusSeconds(60), rows, rows, 0, 0));
        return id;
    }

    private long succeeded(Instant start, long rows) {
        return succeeded(PIPELINE, start, rows);
    }

    /** {@code count} executions at 14:xx UTC on the days before today, rows from {@code rows}. */
    private List<Long> baseline(int count, java.util.function.IntUnaryOperator rows) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant start = TODAY.minus(Duration.ofDays(1 + i / 2)).plusSeconds(60L * 30 * (i % 2));
            ids.add(succeeded(start, rows.applyAsInt(i)));
        }
        return ids;
    }

    private static int nearThousand(int i) {
        return 970 + (i * 17) % 61;
    }

    @Test
    void anInjectedOutlierIsFlaggedAndOnlyIt() {
        List<Long> normal = baseline(40, AnomalyDetectionTest::nearThousand);

        for (long id : normal) {
            Evaluation evaluation = store.anomalies().evaluate(TOTAL_ROWS, id);
            assertThat(evaluation.outcome()).isEqualTo(Evaluation.Outcome.NORMAL);
            assertThat(evaluation.baselineSize()).isEqualTo(39);
        }
        long outlier = succeeded(TODAY, 50_000);
        Evaluation flagged = store.anomalies().evaluate(TOTAL_ROWS, outlier);

        assertThat(flagged.outcome()).isEqualTo(Evaluation.Outcome.ANOMALOUS);
        assertThat(flagged.value()).isEqualTo(50_000.0);
        assertThat(flagged.baselineSize()).isEqualTo(40);
        double mean = 0;
        double[] values = new double[40];
        for (int i = 0; i < 40; i++) {
            values[i] = nearThousand(i);
            mean += values[i];
        }
        mean /= 40;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sampleStd = Math.sqrt(squares / 39);
        assertThat(flagged.mean()).isCloseTo(mean, within(1e-6));
        assertThat(flagged.stddev()).isCloseTo(sampleStd, within(1e-6));
        assertThat(flagged.upperBound()).isCloseTo(mean + 3 * sampleStd, within(1e-6));
        assertThat(flagged.lowerBound()).isCloseTo(mean - 3 * sampleStd, within(1e-6));
        assertThat(flagged.zScore()).isCloseTo((50_000 - mean) / sampleStd, within(1e-6));

        assertThat(store.anomalies().record(flagged, TODAY.plusSeconds(61))).isTrue();
        assertThat(store.anomalies().record(flagged, TODAY.plusSeconds(62))).isFalse();
        assertThat(store.executions().find(outlier).orElseThrow().anomalyFlags())
                .containsExactly(Metric.TOTAL_ROWS);
        assertThat(store.anomalies().countForRule(1)).isEqualTo(1);
        assertThat(store.anomalies().resultsOf(outlier))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.metric()).isEqualTo(Metric.TOTAL_ROWS);
                            assertThat(r.value()).isEqualTo(50_000.0);
                            assertThat(r.lowerBound()).isEqualTo(flagged.lowerBound());
                            assertThat(r.upperBound()).isEqualTo(flagged.upperBound());
                            JsonNode context = new ObjectMapper().readTree(r.contextJson());
                            assertThat(context.path("baseline_size").asLong()).isEqualTo(40);
                            assertThat(context.path("hour_of_day").asInt()).isEqualTo(14);
                        });

        // The flagged outlier stays out of the next execution's baseline...
        long next = succeeded(TODAY.plusSeconds(600), 1000);
        Evaluation afterFlag = store.anomalies().evaluate(TOTAL_ROWS, next);
        assertThat(afterFlag.outcome()).isEqualTo(Evaluation.Outcome.NORMAL);
        assertThat(afterFlag.baselineSize()).isEqualTo(40);
        assertThat(afterFlag.mean()).isCloseTo(mean, within(1e-6));

        // ...until it is unflagged, once.
        assertThat(store.anomalies().unflag(outlier, Set.of(Metric.TOTAL_ROWS))).isTrue();
        assertThat(store.anomalies().unflag(outlier, Set.of(Metric.TOTAL_ROWS))).isFalse();
        assertThat(store.anomalies().resultsOf(outlier)).isEmpty();
        assertThat(store.executions().find(outlier).orElseThrow().anomalyFlags()).isEmpty();
        Evaluation afterUnflag = store.anomalies().evaluate(TOTAL_ROWS, next);
        assertThat(afterUnflag.baselineSize()).isEqualTo(41);
        assertThat(afterUnflag.mean()).isGreaterThan(2000);
    }

    @Test
    void onlyExecutionsThatStartedInTheSameUtcHourFormTheBaseline() {
        for (int i = 0; i < 40; i++) {
            succeeded(TODAY.minus(Duration.ofHours(1)).minus(Duration.ofDays(1 + i / 2)), 1000 + i);
        }
        for (int i = 0; i < 5; i++) {
            succeeded(TODAY.minus(Duration.ofDays(1 + i)), 1000 + i);
        }
        long judged = succeeded(TODAY, 50_000);

        Evaluation evaluation = store.anomalies().evaluate(TOTAL_ROWS, judged);

        assertThat(evaluation.outcome()).isEqualTo(Evaluation.Outcome.TOO_FEW_EXECUTIONS);
        assertThat(evaluation.baselineSize()).isEqualTo(5);
        assertThat(evaluation.hourOfDay()).isEqualTo(14);
    }

    @Test
    void executionsThatEndedBeforeTheLookbackAreLeftOut() {
        AnomalyRule lookback10 = new AnomalyRule(2, PIPELINE, Metric.TOTAL_ROWS, 3, 10, 5);
        for (int day = 1; day <= 20; day++) {
            succeeded(TODAY.minus(Duration.ofDays(day)), 1000 + day);
        }
        long judged = succeeded(TODAY, 1010);

        Evaluation evaluation = store.anomalies().evaluate(lookback10, judged);

        // Ended at 14:06 on days −1 … −10; the judged one ends at 14:06 today.
        assertThat(evaluation.baselineSize()).isEqualTo(10);
        assertThat(evaluation.mean()).isCloseTo(1005.5, within(1e-9));
        assertThat(evaluation.lookbackStart())
                .isEqualTo(TODAY.plusSeconds(60).minus(Duration.ofDays(10)));
    }

    @Test
    void failedRunningAndOtherPipelinesExecutionsAreNotInTheBaseline() {
        AnomalyRule rule = new AnomalyRule(3, PIPELINE, Metric.TOTAL_ROWS, 3, 30, 5);
        baseline(5, i -> 1000 + i);
        for (int i = 0; i < 5; i++) {
            long failed =
                    store.executions()
                            .start(ExecutionStart.of(PIPELINE, TODAY.minus(Duration.ofDays(1))));
            store.executions()
                    .end(
                            ExecutionEnd.failed(
                                    failed, TODAY.minus(Duration.ofDays(1)).plusSeconds(5)));
            store.executions().start(ExecutionStart.of(PIPELINE, TODAY.minus(Duration.ofDays(2))));
            succeeded(8, TODAY.minus(Duration.ofDays(1)), 99_999);
        }
        long judged = succeeded(TODAY, 1002);

        Evaluation evaluation = store.anomalies().evaluate(rule, judged);

        assertThat(evaluation.baselineSize()).isEqualTo(5);
        assertThat(evaluation.mean()).isCloseTo(1002.0, within(1e-9));
    }

    @Test
    void aRuleDoesNotJudgeWithFewerValuesThanItsMinimum() {
        AnomalyRule rule = new AnomalyRule(4, PIPELINE, Metric.TOTAL_ROWS, 3, 30, 10);
        baseline(9, i -> 1000 + i);
        long judged = succeeded(TODAY, 50_000);

        Evaluation tooFew = store.anomalies().evaluate(rule, judged);
        assertThat(tooFew.outcome()).isEqualTo(Evaluation.Outcome.TOO_FEW_EXECUTIONS);
        assertThat(tooFew.baselineSize()).isEqualTo(9);
        assertThat(tooFew.judged()).isFalse();

        succeeded(TODAY.minus(Duration.ofDays(20)), 1003);
        assertThat(store.anomalies().evaluate(rule, judged).outcome())
                .isEqualTo(Evaluation.Outcome.ANOMALOUS);
    }

    @Test
    void aBaselineWithoutSpreadJudgesNothing() {
        AnomalyRule rule = new AnomalyRule(5, PIPELINE, Metric.TOTAL_ROWS, 3, 30, 5);
        baseline(10, i -> 1000);
        long judged = succeeded(TODAY, 50_000);

        Evaluation evaluation = store.anomalies().evaluate(rule, judged);

        assertThat(evaluation.outcome()).isEqualTo(Evaluation.Outcome.NO_SPREAD);
        assertThat(evaluation.stddev()).isZero();
        assertThat(evaluation.baselineSize()).isEqualTo(10);
        assertThatThrownBy(() -> store.anomalies().record(evaluation, TODAY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLowerBoundNeverGoesBelowZeroAndLowValuesAreAnomaliesToo() {
        AnomalyRule rule = new AnomalyRule(6, PIPELINE, Metric.TOTAL_ROWS, 1, 30, 5);
        baseline(10, i -> i % 2 == 0 ? 0 : 100);
        long zero = succeeded(TODAY, 0);

        Evaluation wide = store.anomalies().evaluate(rule, zero);
        assertThat(wide.lowerBound()).isZero();
        assertThat(wide.outcome()).isEqualTo(Evaluation.Outcome.NORMAL);

        AnomalyRule narrow = new AnomalyRule(7, 8, Metric.TOTAL_ROWS, 2, 30, 5);
        for (int i = 0; i < 10; i++) {
            succeeded(8, TODAY.minus(Duration.ofDays(1 + i)), 1000 + (i % 2) * 10);
        }
        long drop = succeeded(8, TODAY, 10);
        Evaluation low = store.anomalies().evaluate(narrow, drop);
        assertThat(low.lowerBound()).isGreaterThan(900);
        assertThat(low.outcome()).isEqualTo(Evaluation.Outcome.ANOMALOUS);
        assertThat(low.zScore()).isNegative();
    }

    @Test
    void aFailedOrUnfinishedExecutionIsNotJudged() {
        baseline(40, AnomalyDetectionTest::nearThousand);
        long running = store.executions().start(ExecutionStart.of(PIPELINE, TODAY));
        long failed = store.executions().start(ExecutionStart.of(PIPELINE, TODAY));
        store.executions().end(ExecutionEnd.failed(failed, TODAY.plusSeconds(1)));

        assertThat(store.anomalies().evaluate(TOTAL_ROWS, running).outcome())
                .isEqualTo(Evaluation.Outcome.NOT_SUCCEEDED);
        assertThat(store.anomalies().evaluate(TOTAL_ROWS, failed).outcome())
                .isEqualTo(Evaluation.Outcome.NOT_SUCCEEDED);
        assertThatThrownBy(
                        () ->
                                store.anomalies()
                                        .evaluate(
                                                new AnomalyRule(9, 8, Metric.TOTAL_ROWS, 3, 30, 30),
                                                running))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void durationAndThroughputAreJudgedFromWhatTheStoreComputed() {
        AnomalyRule duration = new AnomalyRule(10, PIPELINE, Metric.DURATION_SECONDS, 3, 30, 5);
        AnomalyRule throughput = new AnomalyRule(11, PIPELINE, Metric.THROUGHPUT, 3, 30, 5);
        for (int i = 0; i < 10; i++) {
            Instant start = TODAY.minus(Duration.ofDays(1 + i));
            long id = store.executions().start(ExecutionStart.of(PIPELINE, start));
            store.executions()
                    .end(ExecutionEnd.succeeded(id, start.plusSeconds(100 + i), 6000, 6000, 0, 0));
        }
        long slow = store.executions().start(ExecutionStart.of(PIPELINE, TODAY));
        store.executions()
                .end(ExecutionEnd.succeeded(slow, TODAY.plusSeconds(3000), 6000, 6000, 0, 0));

        Evaluation byDuration = store.anomalies().evaluate(duration, slow);
        assertThat(byDuration.value()).isEqualTo(3000.0);
        assertThat(byDuration.outcome()).isEqualTo(Evaluation.Outcome.ANOMALOUS);
        Evaluation byThroughput = store.anomalies().evaluate(throughput, slow);
        assertThat(byThroughput.value()).isCloseTo(2.0, within(1e-9));
        assertThat(byThroughput.outcome()).isEqualTo(Evaluation.Outcome.ANOMALOUS);
    }
}
