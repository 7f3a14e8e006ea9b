package dev.millrace.crds.connection;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.MillraceStatus;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConnectionStatus extends MillraceStatus {
    @JsonPropertyDescription("The most recent sync Job (running or finished).")
    public JobSummary lastJob;

    @JsonPropertyDescription("When the last successful sync ended (RFC 3339).")
    public String lastSuccessAt;

    @JsonPropertyDescription("When the schedule next starts a sync (absent for manual schedules).")
    public String nextSyncAt;

    @JsonPropertyDescription(
            "The scheduled slot the last scheduled sync was started for, so a restart never runs"
                    + " a slot twice.")
    public String lastScheduledAt;

    @JsonPropertyDescription(
            "A copy of each stream's table, row count and cursor after the last successful sync;"
                    + " the authoritative state commits in the destination with the data.")
    public List<StreamState> streams = new ArrayList<>();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class JobSummary {
        @JsonPropertyDescription("Job id from the Millrace store.")
        public Long id;

        @JsonPropertyDescription("Name of the batch/v1 Job.")
        public String name;

        @JsonPropertyDescription(
                "pending, queued, running, incomplete, succeeded, failed or cancelled.")
        public String status;

        public String startedAt;
        public String endedAt;
        public Long rowsSynced;
        public Long bytesSynced;

        @JsonPropertyDescription("Why the job failed, when it did.")
        public String error;

        @JsonPropertyDescription(
                "The current (or last) attempt; a failed attempt is retried with backoff.")
        public Integer attempt;

        @JsonPropertyDescription("Live progress of the running attempt; absent otherwise.")
        public JobProgress progress;
    }

    /**
     * What a running sync has reported so far. Counts are what is truthfully known: rows and bytes
     * of the streams and files already read, not an estimate of the statement still running.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class JobProgress {
        @JsonPropertyDescription("Stream being synced.")
        public String stream;

        @JsonPropertyDescription("Rows read so far.")
        public Long rows;

        @JsonPropertyDescription("Bytes of source files read so far.")
        public Long bytes;

        @JsonPropertyDescription("When the operator received this report.")
        public String updatedAt;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class StreamState {
        public String name;
        public String table;
        public Long rowCount;
        public String cursor;
    }
}
