package dev.millrace.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.operator.leader.LeaderElection;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderElectionTest {
    private static final String HEADER = "order_id,customer,amount\n";
    private static final String CONNECTION_RECONCILES =
            "operator_sdk_controllers_execution_reconcile_success_total"
                    + "{controller=\"connection\",type=\"resource\"}";

    @TempDir Path tmp;
    private OperatorHarness cluster;
    private MillraceOperator a;
    private MillraceOperator b;

    @BeforeEach
    void start() throws Exception {
        cluster = new OperatorHarness(tmp);
        cluster.startRunner();
        cluster.startGarbageCollector();
        a = cluster.newOperator(replica("replica-a"));
        b = cluster.newOperator(replica("replica-b"));
        a.start();
        b.start();
        cluster.csvFolder("orders", Map.of("a.csv", HEADER + "1,ada,10.5\n2,bob,20\n"));
        cluster.csvSource("orders", "orders");
        cluster.warehouse("warehouse");
    }

    /** Short timings so a takeover happens within seconds. */
    private static OperationsSettings replica(String identity) {
        return new OperationsSettings(
                LeaderElection.of(OperatorHarness.NS)
                        .withIdentity(identity)
                        .withTimings(
                                Duration.ofSeconds(4),
                                Duration.ofSeconds(3),
                                Duration.ofMillis(500)),
                "127.0.0.1:0");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
        a.close();
        b.close();
    }

    @Test
    void onlyTheLeaseHolderReconcilesAndAStandbyTakesOverWhenItStops() {
        String holder = awaitLeaseHolder();
        MillraceOperator leader = holder.equals("replica-a") ? a : b;
        MillraceOperator standby = leader == a ? b : a;
        String standbyIdentity = leader == a ? "replica-b" : "replica-a";
        await().atMost(OperatorHarness.WAIT).until(leader::leading);
        assertThat(standby.leading()).isFalse();

        cluster.connection("orders-to-warehouse", "orders", "warehouse", Schedule.manual());
        cluster.requestSync("orders-to-warehouse", "req-1");
        Connection first = cluster.awaitLastJob("orders-to-warehouse", "succeeded");

        assertThat(cluster.jobsOf("orders-to-warehouse")).hasSize(1);
        assertThat(OperatorHttp.sample(scrape(leader), CONNECTION_RECONCILES)).isPositive();
        assertThat(OperatorHttp.sample(scrape(standby), CONNECTION_RECONCILES)).isNull();
        assertThat(OperatorHttp.sample(scrape(leader), "millrace_sync_rows_total")).isEqualTo(2.0);
        assertThat(OperatorHttp.sample(scrape(standby), "millrace_operator_leader")).isEqualTo(0.0);
        assertThat(OperatorHttp.get(standby, "/readyz").body()).contains("ready (standby)");
        assertThat(OperatorHttp.get(leader, "/readyz").body()).contains("ready (leader)");

        leader.close();
        await().atMost(OperatorHarness.WAIT)
                .until(() -> standbyIdentity.equals(awaitLeaseHolder()) && standby.leading());

        cluster.requestSync("orders-to-warehouse", "req-2");
        await().atMost(OperatorHarness.WAIT)
                .until(
                        () -> {
                            Connection c = cluster.connection("orders-to-warehouse");
                            return c.getStatus().lastJob.id != first.getStatus().lastJob.id
                                    && "succeeded".equals(c.getStatus().lastJob.status);
                        });
        assertThat(cluster.jobsOf("orders-to-warehouse")).hasSize(2);
        // The files were loaded by the first sync: the second is recorded with no new rows.
        assertThat(
                        OperatorHttp.sample(
                                scrape(standby),
                                "millrace_sync_duration_seconds_count{outcome=\"succeeded\"}"))
                .isEqualTo(1.0);
        assertThat(OperatorHttp.sample(scrape(standby), "millrace_operator_leader")).isEqualTo(1.0);
    }

    private String awaitLeaseHolder() {
        await().atMost(OperatorHarness.WAIT).until(() -> lease() != null);
        return lease().getSpec().getHolderIdentity();
    }

    private Lease lease() {
        return cluster.client
                .leases()
                .inNamespace(OperatorHarness.NS)
                .withName(LeaderElection.DEFAULT_LEASE)
                .get();
    }

    private static String scrape(MillraceOperator operator) {
        return OperatorHttp.get(operator, "/metrics").body();
    }
}
