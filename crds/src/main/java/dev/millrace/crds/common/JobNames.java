package dev.millrace.crds.common;

/**
 * Names of the batch/v1 Jobs Millrace creates. The operator creates them and the API server deletes
 * them (cancel), so both must derive the same name from a connection and a job id.
 */
public final class JobNames {
    private static final int MAX_NAME = 63;

    private JobNames() {}

    /** {@code <connection>-<jobId>}, shortened so the Job's pods can carry it as a label. */
    public static String syncJob(String connection, long jobId) {
        return shortened(connection, "-" + jobId);
    }

    /**
     * The Job of one attempt of a sync job: attempt 1 is {@link #syncJob}, later ones add {@code
     * -a<attempt>}, so a retried reconcile finds the attempt's Job by name too.
     */
    public static String syncAttempt(String connection, long jobId, int attempt) {
        return attempt <= 1
                ? syncJob(connection, jobId)
                : shortened(connection, "-" + jobId + "-a" + attempt);
    }

    private static String shortened(String connection, String suffix) {
        String head = connection;
        if (head.length() + suffix.length() > MAX_NAME) {
            head = head.substring(0, MAX_NAME - suffix.length()).replaceAll("[-.]+$", "");
        }
        return head + suffix;
    }
}
