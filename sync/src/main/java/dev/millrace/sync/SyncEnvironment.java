package dev.millrace.sync;

import java.nio.file.Path;
import java.util.Map;

/**
 * The machine-specific settings of a sync, which come from the Job's environment rather than the
 * plan: the same plan runs in a pod (volumes at /data and /warehouse) and in local mode (folders
 * under ./.millrace).
 *
 * @param dataRoot resolves relative source directories
 * @param warehouseRoot resolves relative DuckDB database paths
 * @param duckDbMemoryLimit DuckDB's {@code memory_limit}, e.g. {@code 512MB}
 * @param variables the whole environment, where secrets named by the plan are looked up
 */
public record SyncEnvironment(
        Path dataRoot,
        Path warehouseRoot,
        String duckDbMemoryLimit,
        Map<String, String> variables) {

    public static final String DATA_ROOT = "MILLRACE_DATA_ROOT";
    public static final String WAREHOUSE_ROOT = "MILLRACE_WAREHOUSE_ROOT";
    public static final String DUCKDB_MEMORY_LIMIT = "MILLRACE_DUCKDB_MEMORY_LIMIT";

    public static final String DEFAULT_DATA_ROOT = "/data";
    public static final String DEFAULT_WAREHOUSE_ROOT = "/warehouse";

    /** Small enough for a modest Job memory request; DuckDB spills to disk beyond it. */
    public static final String DEFAULT_DUCKDB_MEMORY_LIMIT = "512MB";

    /** Reads the settings from an environment map (a Job's env, or System.getenv()). */
    public static SyncEnvironment from(Map<String, String> env) {
        return new SyncEnvironment(
                Path.of(valueOr(env, DATA_ROOT, DEFAULT_DATA_ROOT)),
                Path.of(valueOr(env, WAREHOUSE_ROOT, DEFAULT_WAREHOUSE_ROOT)),
                valueOr(env, DUCKDB_MEMORY_LIMIT, DEFAULT_DUCKDB_MEMORY_LIMIT),
                Map.copyOf(env));
    }

    /** An environment variable, or null when unset. */
    public String variable(String name) {
        return variables.get(name);
    }

    @Override
    public String toString() {
        // The variables hold secrets: never print them.
        return "SyncEnvironment[dataRoot="
                + dataRoot
                + ", warehouseRoot="
                + warehouseRoot
                + ", duckDbMemoryLimit="
                + duckDbMemoryLimit
                + "]";
    }

    static String valueOr(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public Path sourceDirectory(String directory) {
        return dataRoot.resolve(directory);
    }

    public Path databaseFile(String path) {
        return warehouseRoot.resolve(path);
    }
}
