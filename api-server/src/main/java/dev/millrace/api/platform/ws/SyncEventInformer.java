package dev.millrace.api.platform.ws;

import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the operator's writes of a Connection's {@code status.lastJob} into sync events for the
 * Connection's source: a job that appears pending, queued or running is {@code sync_started}; one
 * that turns succeeded is {@code sync_completed}; failed or cancelled is {@code sync_failed}; a new
 * progress report of a running job ({@code lastJob.progress}) is {@code sync_progress}. Only
 * transitions count, so the Connections already there when the server starts announce nothing.
 */
public final class SyncEventInformer implements AutoCloseable {
    private static final Set<String> ACTIVE = Set.of("pending", "queued", "running", "incomplete");
    private final SharedIndexInformer<Connection> informer;

    public SyncEventInformer(KubernetesClient client, String namespace, PlatformEvents events) {
        this.informer =
                client.resources(Connection.class)
                        .inNamespace(namespace)
                        .inform(
                                new ResourceEventHandler<>() {
                                    @Override
                                    public void onAdd(Connection connection) {}

                                    @Override
                                    public void onUpdate(Connection before, Connection after) {
                                        announce(before, after, events);
                                    }

                                    @Override
                                    public void onDelete(
                                            Connection connection, boolean unknownFinalState) {}
                                },
                                0);
    }

    static void announce(Connection before, Connection after, PlatformEvents events) {
        ConnectionStatus.JobSummary was = lastJob(before);
        ConnectionStatus.JobSummary now = lastJob(after);
        if (now == null
                || now.status == null
                || after.getSpec() == null
                || after.getSpec().sourceRef == null) {
            return;
        }
        String source = after.getSpec().sourceRef.name;
        boolean sameJob = was != null && Objects.equals(was.id, now.id);
        String previous = sameJob ? was.status : null;
        if (!Objects.equals(previous, now.status)) {
            if (ACTIVE.contains(now.status)) {
                if (previous == null) {
                    events.syncStarted(source);
                }
            } else if ("succeeded".equals(now.status)) {
                events.syncCompleted(source, now.rowsSynced == null ? 0 : now.rowsSynced);
            } else if ("failed".equals(now.status) || "cancelled".equals(now.status)) {
                events.syncFailed(source, now.error != null ? now.error : "Sync " + now.status);
            }
        }
        // A progress report is new when the operator copied one with another time into status.
        boolean newProgress =
                now.progress != null
                        && !(sameJob
                                && was.progress != null
                                && Objects.equals(was.progress.updatedAt, now.progress.updatedAt));
        if (newProgress) {
            events.syncProgress(
                    source,
                    now.id == null ? 0 : now.id,
                    now.attempt,
                    now.progress.stream,
                    now.progress.rows == null ? 0 : now.progress.rows,
                    now.progress.bytes == null ? 0 : now.progress.bytes);
        }
    }

    private static ConnectionStatus.JobSummary lastJob(Connection c) {
        return c == null || c.getStatus() == null ? null : c.getStatus().lastJob;
    }

    /** Completes when the informer stops, also when the client it came from is closed. */
    public java.util.concurrent.CompletionStage<Void> stopped() {
        return informer.stopped();
    }

    @Override
    public void close() {
        informer.close();
    }
}
