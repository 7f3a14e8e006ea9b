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
        Set<String> watchNamespaces) {
    public static final int DEFAULT_PORT = 8800;

    public ApiSettings {
        auth = auth == null ? AuthSettings.none() : auth;
        watchNamespaces = watchNamespaces == null ? Set.of() : Set.copyOf(watchNamespaces);
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
                watchNamespaces);
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
                namespaces);
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
                watchNamespaces);
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
