package dev.millrace.store.job;

import java.util.Objects;

/**
 * A request for a sync job of one Connection.
 *
 * @param requestKey what makes the request unique for its connection, e.g. the value of the {@code
 *     millrace.dev/sync} annotation or the schedule slot; asking again with the same key returns
 *     the job allocated the first time
 */
public record JobRequest(
        String namespace,
        String connection,
        String connectionUid,
        String source,
        String requestKey,
        JobType type,
        boolean fullRefresh) {

    public JobRequest {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(connectionUid, "connectionUid");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(requestKey, "requestKey");
        Objects.requireNonNull(type, "type");
    }
}
