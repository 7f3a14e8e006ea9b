package dev.millrace.crds.connection;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Sync modes with Airbyte's meaning (DESIGN §5). */
public enum SyncMode {
    @JsonProperty("full_refresh_overwrite")
    FULL_REFRESH_OVERWRITE,
    @JsonProperty("full_refresh_append")
    FULL_REFRESH_APPEND,
    @JsonProperty("incremental_append")
    INCREMENTAL_APPEND,
    @JsonProperty("incremental_deduped_history")
    INCREMENTAL_DEDUPED_HISTORY;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
