package dev.millrace.crds.destination;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum DestinationType {
    @JsonProperty("duckdb")
    DUCKDB,
    @JsonProperty("parquet")
    PARQUET,
    @JsonProperty("postgres")
    POSTGRES
}
