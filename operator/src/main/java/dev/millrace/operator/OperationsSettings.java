package dev.millrace.operator;

import dev.millrace.operator.leader.LeaderElection;

/**
 * How the operator process is run, as opposed to what it does ({@link OperatorSettings}).
 *
 * @param leaderElection the Lease replicas compete for, or null when this is the only replica
 *     (local mode)
 * @param listen host:port of {@code /metrics}, {@code /healthz} and {@code /readyz}, or null for
 *     none
 */
public record OperationsSettings(LeaderElection leaderElection, String listen) {
    /** One replica, no endpoint: local mode and most tests. */
    public static OperationsSettings none() {
        return new OperationsSettings(null, null);
    }
}
