package dev.millrace.crds.destination;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.ObjectRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.type != 'parquet' || has(self.path)",
        message = "path is required when type is parquet")
@ValidationRule(
        value = "self.type != 'postgres' || has(self.connectorRef)",
        message = "connectorRef is required when type is postgres")
public class DestinationSpec {
    @Size(max = 150)
    @JsonPropertyDescription("Human-readable name; metadata.name is the slug derived from it.")
    public String displayName;

    @Required
    @JsonPropertyDescription("duckdb (embedded warehouse file), parquet (folder) or postgres.")
    public DestinationType type;

    @Size(min = 1, max = 1024)
    @Pattern("^[^\\x00]*$")
    @JsonPropertyDescription(
            "duckdb: the database file; parquet: the folder. A relative path is resolved against"
                    + " the warehouse root (./.millrace in local mode). Default for duckdb:"
                    + " warehouse.duckdb.")
    public String path;

    @JsonPropertyDescription("The Connector holding host and credentials (postgres).")
    public ObjectRef connectorRef;

    @Size(max = 8)
    @JsonPropertyDescription(
            "parquet: columns to partition each stream by (Hive-style column=value folders);"
                    + " streams lacking one of them are written unpartitioned.")
    public List<@Size(min = 1, max = 63) String> partitionBy;

    @Default("raw_")
    @Pattern("^[a-z_][a-z0-9_]{0,30}$")
    @JsonPropertyDescription(
            "Prefix of the schema each source lands in: <schemaPrefix><source name>.")
    public String schemaPrefix = "raw_";

    /** The DuckDB file, with its default. */
    public String duckdbPath() {
        return path == null || path.isBlank() ? "warehouse.duckdb" : path;
    }
}
