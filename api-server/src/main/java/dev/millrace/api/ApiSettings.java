package dev.millrace.api;

import dev.millrace.api.auth.AuthSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * How the API server listens and what it serves.
 *
 * @param host address to bind; local mode binds 127.0.0.1 only
 * @param port TCP port (8800 by default, as the Dango web UI)
 * @param namespace the namespace the single-workspace families (platform, monitoring) serve
 * @param version the Millrace version reported by /api/status
 * @param dataRoot where file sources' relative directories live (CSV uploads land there)
 * @param warehouseRoot where DuckDB destinations' relative paths live
 * @param metabaseUrl upstream of the /metabase proxy, or null when none is configured
 * @param dbtDocsUrl upstream of /dbt-docs, /manifest.json and /catalog.json, or null
 * @param fileWatchDebounce how long the CSV folder watcher waits for quiet before syncing
 * @param uploadLimitBytes the largest CSV upload accepted (413 above)
 * @param auth how callers are authenticated; off ({@link AuthSettings#none()}) only on loopback
 * @param watchNamespaces the namespaces (workspaces) the API reads and writes; empty for all
 * @param connectorApi the connector family's request budget and test wait
 */
public record ApiSettings(
        String host,
        int port,
        String namespace,
        String version,
        Path dataRoot,
        Path warehouseRoot,
        URI metabaseUrl,
        URI dbtDocsUrl,
        Duration fileWatchDebounce,
        long uploadLimitBytes,
        AuthSettings auth,
        Set<String> watchNamespaces,
        ConnectorApiSettings connectorApi) {
    public static final int DEFAULT_PORT = 8800;

    public ApiSettings {
        auth = auth == null ? AuthSettings.none() : auth;
        watchNamespaces = watchNamespaces == null ? Set.of() : Set.copyOf(watchNamespaces);
        connectorApi = connectorApi == null ? ConnectorApiSettings.DEFAULTS : connectorApi;
    }

    /** Settings with the connector family's defaults (the arity before that family existed). */
    public ApiSettings(
            String host,
            int port,
            String namespace,
            String version,
            Path dataRoot,
            Path warehouseRoot,
            URI metabaseUrl,
            URI dbtDocsUrl,
            Duration fileWatchDebounce,
            long uploadLimitBytes,
            AuthSettings auth,
            Set<String> watchNamespaces) {
        this(
                host,
                port,
                namespace,
                version,
                dataRoot,
                warehouseRoot,
                metabaseUrl,
                dbtDocsUrl,
                fileWatchDebounce,
                uploadLimitBytes,
                auth,
                watchNamespaces,
                ConnectorApiSettings.DEFAULTS);
    }

    /**
     * The connector (Databasin) family's limits.
     *
     * @param requestsPerMinute requests one caller may make per minute before a 429
     * @param testWait how long POST /api/connector/{id}/test waits for the operator's result
     */
    public record ConnectorApiSettings(int requestsPerMinute, Duration testWait) {
        public static final ConnectorApiSettings DEFAULTS =
                new ConnectorApiSettings(600, Duration.ofSeconds(30));

        public ConnectorApiSettings {
            if (requestsPerMinute < 1) {
                throw new IllegalArgumentException(
                        "requestsPerMinute must be at least 1, was " + requestsPerMinute);
            }
            if (testWait == null || testWait.isNegative() || testWait.isZero()) {
                throw new IllegalArgumentException("testWait must be positive, was " + testWait);
            }
        }
    }

    /** These settings with the connector family's request budget and test wait. */
    public ApiSettings withConnectorApi(ConnectorApiSettings connector) {
        return new ApiSettings(
                host,
                port,
                namespace,
                version,
                dataRoot,
                warehouseRoot,
                metabaseUrl,
                dbtDocsUrl,
                fileWatchDebounce,
                uploadLimitBytes,
                auth,
                watchNamespaces,
                connector);
    }

    /** Settings without auth (loopback only). */
    public ApiSettings(
            String host,
            int port,
            String namespace,
            String version,
            Path dataRoot,
            Path warehouseRoot,
            URI metabaseUrl,
            URI dbtDocsUrl,
            Duration fileWatchDebounce,
            long uploadLimitBytes) {
        this(
                host,
                port,
                namespace,
                version,
                dataRoot,
                warehouseRoot,
                metabaseUrl,
                dbtDocsUrl,
                fileWatchDebounce,
                uploadLimitBytes,
                AuthSettings.none(),
                Set.of());
    }

    /** These settings with {@code auth} instead. */
    public ApiSettings withAuth(AuthSettings auth) {
        return new ApiSettings(
                host,
                port,
                namespace,
                version,
                dataRoot,
                warehouseRoot,
                metabaseUrl,
                dbtDocsUrl,
                fileWatchDebounce,
                uploadLimitBytes,
                auth,
                watchNamespaces,
                connectorApi);
    }

    /** These settings limited to {@code namespaces} (empty: every namespace). */
    public ApiSettings withWatchNamespaces(Set<String> namespaces) {
        return new ApiSettings(
                host,
                port,
                namespace,
                version,
                dataRoot,
                warehouseRoot,
                metabaseUrl,
                dbtDocsUrl,
                fileWatchDebounce,
                uploadLimitBytes,
                auth,
                namespaces,
                connectorApi);
    }

    /** These settings with the upstreams of the /metabase and /dbt-docs proxies (null: none). */
    public ApiSettings withUpstreams(URI metabase, URI dbtDocs) {
        return new ApiSettings(
                host,
                port,
                namespace,
                version,
                dataRoot,
                warehouseRoot,
                metabase,
                dbtDocs,
                fileWatchDebounce,
                uploadLimitBytes,
                auth,
                watchNamespaces,
                connectorApi);
    }

    public static final Duration DEFAULT_FILE_WATCH_DEBOUNCE = Duration.ofSeconds(600);
    public static final long DEFAULT_UPLOAD_LIMIT_BYTES = 512L * 1024 * 1024;

    /** Settings with the defaults for everything but where to listen and what to serve. */
    public static ApiSettings of(
            String host,
            int port,
            String namespace,
            String version,
            Path dataRoot,
            Path warehouseRoot) {
        return new ApiSettings(
                host,
                port,
                namespace,
                version,
                dataRoot,
                warehouseRoot,
                null,
                null,
                DEFAULT_FILE_WATCH_DEBOUNCE,
                DEFAULT_UPLOAD_LIMIT_BYTES);
    }
}
