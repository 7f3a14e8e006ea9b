package dev.millrace.store.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.millrace.store.testing.Backend;
import dev.millrace.store.testing.StoreTestBase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "on {0}")
@EnumSource(Backend.class)
class PipelineExecutionsTest extends StoreTestBase {

    private static final Instant START = Instant.parse("2026-03-10T14:20:00Z");

    private PipelineExecutions executions() {
        return store.executions();
    }

    @Test
    void aStartedExecutionIsRunningWithItsHourOfDayAndWatermarks() {
        long id =
                executions()
                        .start(
                                ExecutionStart.of(7, START)
                                        .withWatermarks("2026-03-09", "2026-03-10"));

        Execution execution = executions().find(id).orElseThrow();
        assertThat(execution.pipelineId()).isEqualTo(7);
        assertThat(execution.status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(execution.start()).isEqualTo(START);
        assertThat(execution.end()).isNull();
        assertThat(execution.hourRecorded()).isEqualTo(14);
        assertThat(execution.watermark()).isEqualTo("2026-03-09");
        assertThat(execution.nextWatermark()).isEqualTo("2026-03-10");
        assertThat(execution.parentId()).isNull();
        assertThat(execution.anomalyFlags()).isEmpty();
        assertThat(execution.children()).isEmpty();
    }

    @Test
    void endingComputesDurationAndThroughputAndMarksSuccess() {
        long id = executions().start(ExecutionStart.of(7, START));

        boolean ended =
                executions()
                        .end(ExecutionEnd.succeeded(id, START.plusSeconds(300), 1000, 800, 200, 0));

        assertThat(ended).isTrue();
        Execution execution = executions().find(id).orElseThrow();
        assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(execution.end()).isEqualTo(START.plusSeconds(300));
        assertThat(execution.durationSeconds()).isEqualTo(300);
        assertThat(execution.throughput()).isCloseTo(3.333, within(0.001));
        assertThat(execution.totalRows()).isEqualTo(1000);
        assertThat(execution.inserts()).isEqualTo(800);
        assertThat(execution.updates()).isEqualTo(200);
        assertThat(execution.softDeletes()).isEqualTo(0);
    }

    @Test
    void anExecutionEndsOnceAndAFailureHasNoThroughput() {
        long id = executions().start(ExecutionStart.of(7, START));

        assertThat(executions().end(ExecutionEnd.failed(id, START.plusSeconds(10)))).isTrue();
        assertThat(executions().end(ExecutionEnd.succeeded(id, START.plusSeconds(20), 5, 5, 0, 0)))
                .isFalse();

        Execution execution = executions().find(id).orElseThrow();
        assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(execution.end()).isEqualTo(START.plusSeconds(10));
        assertThat(execution.durationSeconds()).isEqualTo(10);
        assertThat(execution.throughput()).isNull();
        assertThat(execution.totalRows()).isNull();
    }

    @Test
    void anEndNotAfterTheStartIsRejectedAndChangesNothing() {
        long id = executions().start(ExecutionStart.of(7, START));

        assertThatThrownBy(() -> executions().end(ExecutionEnd.succeeded(id, START, 1, 1, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("end_date must be greater than start_date");
        assertThatThrownBy(
                        () ->
                                executions()
                                        .end(
                                                ExecutionEnd.succeeded(
                                                        id, START.minusSeconds(1), 1, 1, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(executions().find(id).orElseThrow().status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThatThrownBy(() -> executions().end(ExecutionEnd.failed(999, START)))
                .isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void startingTwiceForOneJobReturnsTheSameExecution() {
        long first = executions().start(ExecutionStart.of(7, START).forJob(42));
        long second = executions().start(ExecutionStart.of(7, START.plusSeconds(5)).forJob(42));

        assertThat(second).isEqualTo(first);
        assertThat(executions().findByJob(42)).get().extracting(Execution::id).isEqualTo(first);
        assertThat(executions().countOfPipeline(7)).isEqualTo(1);
        assertThat(executions().findByJob(43)).isEmpty();
    }

    @Test
    void anExecutionIsReadWithItsDirectChildrenOnly() {
        long root = executions().start(ExecutionStart.of(7, START));
        long child1 =
                executions().start(ExecutionStart.of(7, START.plusSeconds(1)).underParent(root));
        long child2 =
                executions().start(ExecutionStart.of(7, START.plusSeconds(2)).underParent(root));
        long grandchild =
                executions().start(ExecutionStart.of(7, START.plusSeconds(3)).underParent(child1));

        Execution read = executions().find(root).orElseThrow();

        assertThat(read.children()).extracting(Execution::id).containsExactly(child1, child2);
        assertThat(read.children().get(0).parentId()).isEqualTo(root);
        assertThat(executions().find(child1).orElseThrow().children())
                .extracting(Execution::id)
                .containsExactly(grandchild);
    }

    @Test
    void theClosureTableHoldsEveryAncestorWithItsDepthAndADepthZeroRowForRootsToo()
            throws Exception {
        long root = executions().start(ExecutionStart.of(7, START));
        long child = executions().start(ExecutionStart.of(7, START).underParent(root));
        long grandchild = executions().start(ExecutionStart.of(7, START).underParent(child));
        long otherRoot = executions().start(ExecutionStart.of(7, START));
        reopenWithoutStore();

        try (Connection c = database.connect();
                Statement statement = c.createStatement();
                ResultSet rows =
                        statement.executeQuery(
                                "SELECT parent_execution_id, child_execution_id, depth"
                                        + " FROM pipeline_execution_closure"
                                        + " ORDER BY child_execution_id, depth")) {
            List<List<Long>> closure = new ArrayList<>();
            while (rows.next()) {
                closure.add(List.of(rows.getLong(1), rows.getLong(2), rows.getLong(3)));
            }
            assertThat(closure)
                    .containsExactly(
                            List.of(root, root, 0L),
                            List.of(child, child, 0L),
                            List.of(root, child, 1L),
                            List.of(grandchild, grandchild, 0L),
                            List.of(child, grandchild, 1L),
                            List.of(root, grandchild, 2L),
                            List.of(otherRoot, otherRoot, 0L));
        }
    }

    @Test
    void aParentMustExistAndBelongToTheSamePipeline() {
        long other = executions().start(ExecutionStart.of(8, START));

        assertThatThrownBy(() -> executions().start(ExecutionStart.of(7, START).underParent(999)))
                .isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> executions().start(ExecutionStart.of(7, START).underParent(other)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("belongs to pipeline 8");
        assertThat(executions().countOfPipeline(7)).isZero();
    }

    @Test
    void aPipelinesExecutionsArePagedNewestFirst() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(executions().start(ExecutionStart.of(7, START.plusSeconds(i))));
        }
        executions().start(ExecutionStart.of(8, START));

        assertThat(executions().ofPipeline(7, 2, 0))
                .extracting(Execution::id)
                .containsExactly(ids.get(4), ids.get(3));
        assertThat(executions().ofPipeline(7, 2, 4))
                .extracting(Execution::id)
                .containsExactly(ids.get(0));
        assertThat(executions().countOfPipeline(7)).isEqualTo(5);
    }

    @Test
    void aSuccessfulEndMovesTheLastDmlTimeOfEachCountAboveZero() {
        long first = executions().start(ExecutionStart.of(7, START));
        executions().end(ExecutionEnd.succeeded(first, START.plusSeconds(60), 10, 10, 0, 0));
        long second = executions().start(ExecutionStart.of(7, START.plusSeconds(120)));
        executions().end(ExecutionEnd.succeeded(second, START.plusSeconds(180), 3, 0, 2, 1));
        long failed = executions().start(ExecutionStart.of(7, START.plusSeconds(200)));
        executions().end(ExecutionEnd.failed(failed, START.plusSeconds(260)));

        DmlTimes times = executions().dmlTimes(7).orElseThrow();

        assertThat(times.lastTargetInsert()).isEqualTo(START.plusSeconds(60));
        assertThat(times.lastTargetUpdate()).isEqualTo(START.plusSeconds(180));
        assertThat(times.lastTargetSoftDelete()).isEqualTo(START.plusSeconds(180));
        assertThat(times.latest()).contains(START.plusSeconds(180));
        assertThat(executions().dmlTimes(8)).isEmpty();
        assertThat(executions().lastEnded(7)).get().extracting(Execution::id).isEqualTo(failed);
    }

    private void reopenWithoutStore() {
        store.close();
        store = null;
    }
}
