package dev.millrace.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.millrace.crds.connection.Schedule;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationsEndpointTest {
    private static final String HEADER = "order_id,customer,amount\n";

    @TempDir Path tmp;
    private OperatorHarness cluster;
    private MillraceOperator operator;

    @BeforeEach
    void start() throws Exception {
        cluster = new OperatorHarness(tmp);
        cluster.startGarbageCollector();
        operator = cluster.startOperator(new OperationsSettings(null, "127.0.0.1:0"));
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aFinishedSyncShowsUpInThePrometheusScrape() throws Exception {
        cluster.startRunner();
        cluster.csvFolder(
                "orders",
                Map.of(
                        "a.csv", HEADER + "1,ada,10.5\n2,bob,20\n3,cy,7.25\n",
                        "b.csv", HEADER + "4,dee,1\n5,eve,2\n"));
        cluster.csvSource("orders", "orders");
        cluster.warehouse("warehouse");
        cluster.connection("orders-to-warehouse", "orders", "warehouse", Schedule.manual());
        cluster.requestSync("orders-to-warehouse", "req-1");
        cluster.awaitLastJob("orders-to-warehouse", "succeeded");

        HttpResponse<String> scrape = OperatorHttp.get(operator, "/metrics");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        String body = scrape.body();
        assertThat(OperatorHttp.sample(body, "millrace_sync_rows_total")).isEqualTo(5.0);
        assertThat(
                        OperatorHttp.sample(
                                body,
                                "millrace_sync_duration_seconds_count{outcome=\"succeeded\"}"))
                .isEqualTo(1.0);
        assertThat(OperatorHttp.sample(body, "millrace_sync_queue_depth")).isEqualTo(0.0);
        assertThat(OperatorHttp.sample(body, "millrace_operator_leader")).isEqualTo(1.0);
        assertThat(
                        OperatorHttp.sample(
                                body,
                                "operator_sdk_controllers_execution_reconcile_success_total"
                                        + "{controller=\"connection\",type=\"resource\"}"))
                .isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void aSyncWaitingForItsDestinationCountsInTheQueueDepthUntilItRuns() throws Exception {
        cluster.csvFolder("orders", Map.of("a.csv", HEADER + "1,ada,10.5\n"));
        cluster.csvSource("orders", "orders");
        cluster.warehouse("warehouse");
        // One DuckDB file takes one writer: the second sync queues behind the first, whose Job
        // waits for a node until the runner starts.
        cluster.connection("first", "orders", "warehouse", Schedule.manual());
        cluster.connection("second", "orders", "warehouse", Schedule.manual());
        cluster.requestSync("first", "req-1");
        await().atMost(OperatorHarness.WAIT).until(() -> cluster.jobsOf("first").size() == 1);
        cluster.requestSync("second", "req-2");

        await().atMost(OperatorHarness.WAIT).until(() -> queueDepth() == 1.0);

        cluster.startRunner();
        cluster.awaitLastJob("first", "succeeded");
        cluster.awaitLastJob("second", "succeeded");
        assertThat(queueDepth()).isEqualTo(0.0);
    }

    private double queueDepth() {
        return OperatorHttp.sample(
                OperatorHttp.get(operator, "/metrics").body(), "millrace_sync_queue_depth");
    }

    @Test
    void aStartedOperatorIsLiveAndReady() {
        assertThat(OperatorHttp.get(operator, "/healthz").statusCode()).isEqualTo(200);
        await().atMost(OperatorHarness.WAIT)
                .until(() -> OperatorHttp.get(operator, "/readyz").statusCode() == 200);
        assertThat(OperatorHttp.get(operator, "/readyz").body()).contains("ready (single)");
        assertThat(OperatorHttp.get(operator, "/nothing-here").statusCode()).isEqualTo(404);
    }
}
