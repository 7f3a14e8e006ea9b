package dev.millrace.api.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.kube.Annotator;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceStatus;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Requests syncs of a Dango "source": the {@code millrace.dev/sync} annotation on every Connection
 * whose {@code sourceRef} names it. POST sync, CSV uploads and deletes and the folder watcher all
 * go through here, so they behave the same.
 */
public final class SourceSyncs {
    private final KubernetesClient client;
    private final Store store;
    private final String namespace;
    private final ObjectMapper json = new ObjectMapper();

    public SourceSyncs(KubernetesClient client, Store store, String namespace) {
        this.client = client;
        this.store = store;
        this.namespace = namespace;
    }

    /** What a sync request asks for; every field is optional in the API. */
    public record Options(boolean fullRefresh, LocalDate startDate, LocalDate endDate) {
        public static final Options INCREMENTAL = new Options(false, null, null);
    }

    /**
     * Requests a sync unless one of the source is requested or running.
     *
     * @throws PlatformApiException 400 when the source has no Connection, 409 when a sync is
     *     already requested or running
     */
    public void request(Source source, Options options) {
        String name = source.getMetadata().getName();
        List<Connection> connections = connectionsOf(name);
        if (isSyncing(source, connections)) {
            throw PlatformApiException.conflict("Sync already in progress for " + name);
        }
        annotate(connections, options);
    }

    /**
     * Requests a sync that runs after the one in progress, if any: used when files vanished, since
     * a sync already running may have listed them before they went.
     *
     * @return false when the source has no Connection, so nothing will sync
     */
    public boolean requestAfterCurrent(Source source) {
        List<Connection> connections = matching(source.getMetadata().getName());
        List<Connection> waiting = connections.stream().filter(c -> !hasSyncAnnotation(c)).toList();
        if (!waiting.isEmpty()) {
            annotate(waiting, Options.INCREMENTAL);
        }
        return !connections.isEmpty();
    }

    private List<Connection> matching(String sourceName) {
        return client.resources(Connection.class).inNamespace(namespace).list().getItems().stream()
                .filter(
                        c ->
                                c.getSpec() != null
                                        && c.getSpec().sourceRef != null
                                        && sourceName.equals(c.getSpec().sourceRef.name))
                .toList();
    }

    /**
     * @throws PlatformApiException 400 when the source has no Connection
     */
    List<Connection> connectionsOf(String sourceName) {
        List<Connection> connections = matching(sourceName);
        if (connections.isEmpty()) {
            throw PlatformApiException.badRequest(
                    "Source '"
                            + sourceName
                            + "' has no connection to a destination, so there is nothing to sync");
        }
        return connections;
    }

    private void annotate(List<Connection> connections, Options options) {
        String optionsJson;
        try {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("fullRefresh", options.fullRefresh());
            if (options.startDate() != null) {
                o.put("startDate", options.startDate().toString());
            }
            if (options.endDate() != null) {
                o.put("endDate", options.endDate().toString());
            }
            optionsJson = json.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Annotator annotator = new Annotator(client);
        String requestId = UUID.randomUUID().toString();
        for (Connection connection : connections) {
            annotator.annotate(
                    connection,
                    Map.of(
                            MillraceApi.SYNC_ANNOTATION, requestId,
                            MillraceApi.SYNC_OPTIONS_ANNOTATION, optionsJson));
        }
    }

    private boolean isSyncing(Source source, List<Connection> connections) {
        if (source.getStatus() != null && source.getStatus().status == SourceStatus.Phase.SYNCING) {
            return true;
        }
        for (Connection c : connections) {
            if (hasSyncAnnotation(c)) {
                return true;
            }
            if (!store.activeJobs(namespace, c.getMetadata().getName()).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasSyncAnnotation(Connection c) {
        var annotations = c.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(MillraceApi.SYNC_ANNOTATION);
    }
}
