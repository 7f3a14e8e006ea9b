package dev.millrace.operator.leader;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which operator replica reconciles: the holder of a {@code coordination.k8s.io} Lease. Standbys
 * keep their informers warm and take over when the holder stops renewing, within {@code
 * leaseDuration}.
 *
 * <p>Stopping to lead does not exit the process (JOSDK's default calls {@code System.exit}): local
 * tooling and tests run several operators in one JVM, and on a cluster the liveness probe still
 * restarts a replica that lost its lease and cannot get it back.
 *
 * @param namespace where the Lease lives (the operator's own namespace on a cluster)
 * @param leaseName the Lease's name, shared by all replicas
 * @param identity this replica's name in the Lease; unique per process
 */
public record LeaderElection(
        String namespace,
        String leaseName,
        String identity,
        Duration leaseDuration,
        Duration renewDeadline,
        Duration retryPeriod) {
    public static final String DEFAULT_LEASE = "millrace-operator";

    /**
     * Kubernetes' usual timings (15 s lease, 10 s renew deadline, 2 s retry), identity from the
     * pod's host name plus a random suffix so a restarted pod never resumes a stale lease.
     */
    public static LeaderElection of(String namespace) {
        String host = System.getenv().getOrDefault("HOSTNAME", "millrace-operator");
        return new LeaderElection(
                namespace,
                DEFAULT_LEASE,
                host + "-" + UUID.randomUUID().toString().substring(0, 8),
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE);
    }

    public LeaderElection withIdentity(String value) {
        return new LeaderElection(
                namespace, leaseName, value, leaseDuration, renewDeadline, retryPeriod);
    }

    public LeaderElection withLeaseName(String value) {
        return new LeaderElection(
                namespace, value, identity, leaseDuration, renewDeadline, retryPeriod);
    }

    public LeaderElection withTimings(Duration lease, Duration renew, Duration retry) {
        return new LeaderElection(namespace, leaseName, identity, lease, renew, retry);
    }

    /** JOSDK's configuration, reporting leadership changes to {@code state}. */
    public LeaderElectionConfiguration toJosdk(State state) {
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leaseName)
                .withLeaseNamespace(namespace)
                .withIdentity(identity)
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(renewDeadline)
                .withRetryPeriod(retryPeriod)
                .withExitOnStopLeading(false)
                .withLeaderCallbacks(
                        new LeaderCallbacks(
                                () -> state.started(identity),
                                () -> state.stopped(identity),
                                state.leader::set))
                .build();
    }

    /** What this replica knows about leadership, for health and logs. */
    public static final class State {
        private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
        private final AtomicBoolean leading = new AtomicBoolean();
        private final AtomicReference<String> leader = new AtomicReference<>();

        public boolean leading() {
            return leading.get();
        }

        /** The current leader's identity as last observed, or null before any. */
        public String leader() {
            return leader.get();
        }

        private void started(String identity) {
            leading.set(true);
            LOG.info("Leading as {}: reconciling", identity);
        }

        private void stopped(String identity) {
            leading.set(false);
            LOG.info("{} stopped leading: standing by", identity);
        }
    }
}
