package dev.millrace.api;

/**
 * How the API server listens and which namespace the single-workspace families (platform,
 * monitoring) serve.
 *
 * @param host address to bind; local mode binds 127.0.0.1 only
 * @param port TCP port (8800 by default, as the Dango web UI)
 * @param namespace the namespace the platform API shows (its "project")
 * @param version the Millrace version reported by /api/status
 */
public record ApiSettings(String host, int port, String namespace, String version) {
    public static final int DEFAULT_PORT = 8800;
}
