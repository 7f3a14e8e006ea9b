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
        return withSuffix(connection, "-" + jobId);
    }

    /**
     * The Job of one attempt of a sync job: attempt 1 is {@link #syncJob}, later ones add {@code
     * -a<attempt>}, so a retried reconcile finds the attempt's Job by name too.
     */
    public static String syncAttempt(String connection, long jobId, int attempt) {
        return attempt <= 1
                ? syncJob(connection, jobId)
                : withSuffix(connection, "-" + jobId + "-a" + attempt);
    }

    /**
     * {@code <model>-run-<jobId>}: job ids are shared with syncs, and "-run-" keeps a model's Jobs
     * apart from those of a Connection with the same name.
     */
    public static String modelRunJob(String model, long jobId) {
        return withSuffix(model, "-run-" + jobId);
    }

    private static String withSuffix(String name, String suffix) {
        String head = name;
        if (head.length() + suffix.length() > MAX_NAME) {
            head = head.substring(0, MAX_NAME - suffix.length()).replaceAll("[-.]+$", "");
        }
        return head + suffix;
    }
}
