package dev.millrace.sync.plan;

/**
 * The destination side of a sync.
 *
 * @param name the Destination resource's name, for logs
 * @param type the destination type; this engine writes {@code duckdb}
 * @param duckdb the DuckDB settings of a {@code duckdb} destination
 * @param schema the schema that receives one table per stream (default {@code main})
 */
public record DestinationPlan(String name, String type, DuckDbPlan duckdb, String schema) {

    public static final String DUCKDB = "duckdb";
    public static final String DEFAULT_SCHEMA = "main";

    public DestinationPlan {
        schema = schema == null ? DEFAULT_SCHEMA : schema;
    }
}
