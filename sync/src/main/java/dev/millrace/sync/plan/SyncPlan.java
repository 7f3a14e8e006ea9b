package dev.millrace.sync.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Everything one sync Job needs to know, as built by the operator. It holds no secrets: those
 * arrive as environment variables.
 *
 * @param jobId the job id allocated by the store; stamped on every row as {@code _millrace_job_id}
 * @param namespace the Connection's namespace (default {@code default})
 * @param connection the Connection's name; with the namespace and stream it keys the saved state
 * @param fullRefresh this run forgets the saved ledger and state and overwrites every table
 * @param allowEmptyReplace lets a run replace a non-empty table with no rows
 */
public record SyncPlan(
        Long jobId,
        String namespace,
        String connection,
        SourcePlan source,
        DestinationPlan destination,
        List<StreamPlan> streams,
        boolean fullRefresh,
        boolean allowEmptyReplace) {

    public static final String DEFAULT_NAMESPACE = "default";

    public SyncPlan {
        namespace = namespace == null ? DEFAULT_NAMESPACE : namespace;
        // Null elements are kept so that validation can name them instead of failing on a bare NPE.
        streams =
                streams == null
                        ? List.of()
                        : Collections.unmodifiableList(new ArrayList<>(streams));
    }
}
