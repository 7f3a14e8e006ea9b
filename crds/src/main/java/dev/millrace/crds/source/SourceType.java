package dev.millrace.crds.source;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a Source is read. File types are read by DuckDB itself. */
public enum SourceType {
    @JsonProperty("csv")
    CSV,
    @JsonProperty("parquet")
    PARQUET,
    @JsonProperty("json")
    JSON,
    @JsonProperty("jdbc")
    JDBC,
    @JsonProperty("rest")
    REST,
    @JsonProperty("stripe")
    STRIPE;

    public boolean isFileType() {
        return this == CSV || this == PARQUET || this == JSON;
    }
}
