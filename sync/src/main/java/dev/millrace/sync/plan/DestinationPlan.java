package dev.millrace.sync.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The destination side of a sync.
 *
 * @param name the Destination resource's name, for logs
 * @param type {@code duckdb}, {@code postgres} or {@code parquet}
 * @param duckdb the database file of a {@code duckdb} destination
 * @param schema the schema that receives one table per stream (default {@code main}); for a parquet
 *     destination the folder below the destination's path
 * @param postgres the server of a {@code postgres} destination
 * @param parquet the folder of a {@code parquet} destination
 */
public record DestinationPlan(
        String name,
        String type,
        @JsonInclude(JsonInclude.Include.NON_NULL) DuckDbPlan duckdb,
        String schema,
        @JsonInclude(JsonInclude.Include.NON_NULL) PostgresPlan postgres,
        @JsonInclude(JsonInclude.Include.NON_NULL) ParquetPlan parquet) {

    public static final String DUCKDB = "duckdb";
    public static final String POSTGRES = "postgres";
    public static final String PARQUET = "parquet";
    public static final List<String> TYPES = List.of(DUCKDB, POSTGRES, PARQUET);
    public static final String DEFAULT_SCHEMA = "main";

    public DestinationPlan {
        schema = schema == null ? DEFAULT_SCHEMA : schema;
    }

    /** A DuckDB destination. */
    public DestinationPlan(String name, String type, DuckDbPlan duckdb, String schema) {
        this(name, type, duckdb, schema, null, null);
    }

    public static DestinationPlan postgres(String name, PostgresPlan postgres, String schema) {
        return new DestinationPlan(name, POSTGRES, null, schema, postgres, null);
    }

    public static DestinationPlan parquet(String name, ParquetPlan parquet, String schema) {
        return new DestinationPlan(name, PARQUET, null, schema, null, parquet);
    }
}
