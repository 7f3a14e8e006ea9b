package dev.millrace.cli;

import dev.millrace.api.ApiSettings;
import dev.millrace.api.auth.ApiAuth;
import dev.millrace.api.auth.AuthSettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where and how the API server listens (control-plane and api). */
final class ApiOptions {
    @Mixin ClusterOptions.AuthOptions auth;

    @Option(
            names = "--port",
            defaultValue = "" + ApiSettings.DEFAULT_PORT,
            description = "API server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address the API listens on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(
            names = "--api-namespace",
            defaultValue = "default",
            description = "Namespace the platform API serves (default: ${DEFAULT-VALUE}).")
    String apiNamespace;

    @Option(
            names = "--metabase-url",
            description = "Metabase to proxy at /metabase (default: none; /metabase answers 502).")
    java.net.URI metabaseUrl;

    @Option(
            names = "--dbt-docs-url",
            description =
                    "dbt docs site to proxy at /dbt-docs, /manifest.json and /catalog.json"
                            + " (default: none).")
    java.net.URI dbtDocsUrl;

    @Option(
            names = "--connector-rate-limit",
            defaultValue = "600",
            description =
                    "Requests per minute one caller may make to the connector API (/api/connector)"
                            + " before a 429 (default: ${DEFAULT-VALUE}).")
    int connectorRateLimit;

    /**
     * The API settings, or IllegalArgumentException when the auth configuration is refused (e.g. no
     * auth on a non-loopback address) — checked before anything starts, so a refused configuration
     * leaves nothing running.
     */
    ApiSettings settings(ClusterOptions cluster) throws java.io.IOException {
        AuthSettings authSettings = auth.settings();
        ApiAuth.requireAuthUnlessLoopback(authSettings, bind);
        return ApiSettings.of(
                        bind,
                        port,
                        apiNamespace,
                        Version.current(),
                        cluster.dataRoot,
                        cluster.warehouseRoot)
                .withAuth(authSettings)
                .withUpstreams(metabaseUrl, dbtDocsUrl)
                .withWatchNamespaces(new java.util.LinkedHashSet<>(cluster.namespaces))
                .withConnectorApi(
                        new ApiSettings.ConnectorApiSettings(
                                connectorRateLimit,
                                ApiSettings.ConnectorApiSettings.DEFAULTS.testWait()));
    }
}
