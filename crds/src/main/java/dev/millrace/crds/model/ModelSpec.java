package dev.millrace.crds.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.*;
import io.fabric8.generator.annotation.*;
import java.util.*;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelSpec {
    public enum Materialization {
        @JsonProperty("view")
        VIEW,
        @JsonProperty("table")
        TABLE
    }

    @Size(max = 150)
    @JsonPropertyDescription("Human-readable name; metadata.name is the slug derived from it.")
    public String displayName;

    @Required
    @Size(min = 1, max = 100000)
    @JsonPropertyDescription(
            "The SELECT that defines the model; {{ ref('name') }} names another model.")
    public String sql;

    @Default("view")
    @JsonPropertyDescription("view or table.")
    public Materialization materialization = Materialization.VIEW;

    @Required
    @JsonPropertyDescription("The DuckDB Destination the model is built in.")
    public ObjectRef destinationRef;

    @Default("marts")
    @io.fabric8.generator.annotation.Pattern("^[a-z_][a-z0-9_]{0,62}$")
    @JsonPropertyDescription("Warehouse schema of the model.")
    public String schema = "marts";

    @Size(max = 100)
    @JsonPropertyDescription("Models this one depends on, besides those named by ref() in the SQL.")
    public List<String> dependsOn = new ArrayList<>();

    @Size(max = 2000)
    @JsonPropertyDescription("What the model holds, for people browsing the warehouse.")
    public String description;
}
