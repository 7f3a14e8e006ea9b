package dev.millrace.operator.destination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.millrace.operator.local.EmbeddedKubernetes;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One writer per DuckDB destination, first come first served, robust to lost holders. */
class DestinationLeaseTest {
    private static final String NS = "default";

    private EmbeddedKubernetes kube;
    private KubernetesClient client;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T06:00:00Z"));
    private DestinationLease lease;

    @BeforeEach
    void start() {
        kube = EmbeddedKubernetes.start(0, NS);
        client = kube.client();
        lease = new DestinationLease(client, clock);
    }

    @AfterEach
    void stop() {
        kube.close();
    }

    private void runningJob(String name) {
        Job job =
                new JobBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .withNewTemplate()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("sync")
                        .withImage("millrace")
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build();
        client.resource(job).create();
    }

    private Lease stored() {
        return client.leases()
                .inNamespace(NS)
                .withName(DestinationLease.leaseName("warehouse"))
                .get();
    }

    @Test
    void theFirstAskerTakesAFreeLeaseAndIsNamedItsHolder() {
        DestinationLease.Outcome outcome = lease.acquire(NS, "warehouse", "orders-1", 1);

        assertThat(outcome).isInstanceOf(DestinationLease.Acquired.class);
        assertThat(stored().getMetadata().getName()).isEqualTo("millrace-dst-warehouse");
        assertThat(stored().getSpec().getHolderIdentity()).isEqualTo("orders-1");
        assertThat(lease.acquire(NS, "warehouse", "orders-1", 1))
                .isInstanceOf(DestinationLease.Acquired.class);
    }

    @Test
    void aSecondWriterWaitsUntilTheHolderReleases() {
        lease.acquire(NS, "warehouse", "orders-1", 1);
        runningJob("orders-1");

        DestinationLease.Outcome second = lease.acquire(NS, "warehouse", "customers-2", 2);

        assertThat(second).isEqualTo(new DestinationLease.Waiting("orders-1", 0));
        lease.release(NS, "warehouse", "orders-1");
        assertThat(lease.acquire(NS, "warehouse", "customers-2", 2))
                .isInstanceOf(DestinationLease.Acquired.class);
    }

    @Test
    void waitersGetTheLeaseInTheOrderOfTheirKeysNotOfTheirAsking() {
        lease.acquire(NS, "warehouse", "orders-1", 1);
        runningJob("orders-1");
        assertThat(lease.acquire(NS, "warehouse", "late-9", 9))
                .isEqualTo(new DestinationLease.Waiting("orders-1", 0));
        assertThat(lease.acquire(NS, "warehouse", "early-5", 5))
                .isEqualTo(new DestinationLease.Waiting("orders-1", 0));
        assertThat(lease.acquire(NS, "warehouse", "late-9", 9))
                .isEqualTo(new DestinationLease.Waiting("orders-1", 1));

        lease.release(NS, "warehouse", "orders-1");

        assertThat(lease.acquire(NS, "warehouse", "late-9", 9))
                .isEqualTo(new DestinationLease.Waiting(null, 1));
        assertThat(lease.acquire(NS, "warehouse", "early-5", 5))
                .isInstanceOf(DestinationLease.Acquired.class);
        assertThat(lease.acquire(NS, "warehouse", "late-9", 9))
                .isEqualTo(new DestinationLease.Waiting("early-5", 0));
    }

    @Test
    void aHolderWhoseJobNeverAppearedLosesTheLeaseAfterTheGrace() {
        lease.acquire(NS, "warehouse", "crashed-1", 1);

        assertThat(lease.acquire(NS, "warehouse", "next-2", 2))
                .isEqualTo(new DestinationLease.Waiting("crashed-1", 0));
        clock.advance(DestinationLease.CREATE_GRACE.plusSeconds(1));

        assertThat(lease.acquire(NS, "warehouse", "next-2", 2))
                .isInstanceOf(DestinationLease.Acquired.class);
        assertThat(stored().getSpec().getHolderIdentity()).isEqualTo("next-2");
        assertThat(stored().getSpec().getLeaseTransitions()).isEqualTo(1);
    }

    @Test
    void aLiveHolderKeepsTheLeaseHoweverLongItRuns() {
        lease.acquire(NS, "warehouse", "orders-1", 1);
        runningJob("orders-1");
        clock.advance(Duration.ofHours(3));

        assertThat(lease.acquire(NS, "warehouse", "next-2", 2))
                .isEqualTo(new DestinationLease.Waiting("orders-1", 0));
    }

    @Test
    void aWaiterThatStopsAskingNoLongerBlocksTheLine() {
        lease.acquire(NS, "warehouse", "orders-1", 1);
        runningJob("orders-1");
        lease.acquire(NS, "warehouse", "abandoned-2", 2);
        lease.acquire(NS, "warehouse", "patient-3", 3);
        lease.release(NS, "warehouse", "orders-1");
        clock.advance(DestinationLease.WAITER_TTL.plusSeconds(1));

        assertThat(lease.acquire(NS, "warehouse", "patient-3", 3))
                .isInstanceOf(DestinationLease.Acquired.class);
    }

    @Test
    void releasingALeaseSomeoneElseHoldsChangesNothing() {
        lease.acquire(NS, "warehouse", "orders-1", 1);

        lease.release(NS, "warehouse", "customers-2");

        assertThat(stored().getSpec().getHolderIdentity()).isEqualTo("orders-1");
    }

    @Test
    void destinationsHaveLeasesOfTheirOwn() {
        lease.acquire(NS, "warehouse", "orders-1", 1);
        runningJob("orders-1");

        assertThat(lease.acquire(NS, "lake", "customers-2", 2))
                .isInstanceOf(DestinationLease.Acquired.class);
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
