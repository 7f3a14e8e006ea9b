package dev.millrace.crds.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.MillraceStatus;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourceStatus extends MillraceStatus {
    /** The Dango status values, rolled up from this source's connections. */
    public enum Phase {
        @JsonProperty("synced")
        SYNCED,
        @JsonProperty("syncing")
        SYNCING,
        @JsonProperty("failed")
        FAILED,
        @JsonProperty("empty")
        EMPTY,
        @JsonProperty("not_synced")
        NOT_SYNCED,
        @JsonProperty("unknown")
        UNKNOWN
    }

    @JsonPropertyDescription(
            "Sync state rolled up from this source's connections: synced, syncing, failed,"
                    + " empty, not_synced or unknown.")
    public Phase status;

    @JsonPropertyDescription("When the last successful sync ended (RFC 3339).")
    public String lastSync;

    @JsonPropertyDescription("Rows in all of this source's tables after the last successful sync.")
    public Long rowCount;

    @JsonPropertyDescription("The warehouse tables this source lands in, with their row counts.")
    public List<SourceTable> tables = new ArrayList<>();

    @JsonPropertyDescription("The error of the last failed sync, if the last sync failed.")
    public String lastError;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SourceTable {
        @JsonPropertyDescription("Table name.")
        public String name;

        @JsonPropertyDescription("Warehouse schema, raw_<source> by default.")
        public String schema;

        @JsonPropertyDescription("Rows in the table after the last successful sync.")
        public Long rowCount;

        public SourceTable() {}

        public SourceTable(String name, String schema, Long rowCount) {
            this.name = name;
            this.schema = schema;
            this.rowCount = rowCount;
        }
    }
}
