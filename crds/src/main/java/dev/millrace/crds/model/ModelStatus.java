package dev.millrace.crds.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.*;
import io.fabric8.generator.annotation.*;
import java.util.*;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelStatus extends MillraceStatus {
    public enum Phase {
        @JsonProperty("success")
        SUCCESS,
        @JsonProperty("error")
        ERROR,
        @JsonProperty("running")
        RUNNING,
        @JsonProperty("not_run")
        NOT_RUN
    }

    @JsonPropertyDescription("success, error, running or not_run.")
    public Phase status;

    @JsonPropertyDescription("When the latest run that executed ended (UTC).")
    public String lastRun;

    @JsonPropertyDescription(
            "Rows of the table after its latest successful run; views are not counted.")
    public Long rowCount;

    @JsonPropertyDescription("Why the latest run failed or did not run.")
    public String lastError;

    @JsonPropertyDescription("Store job id of the latest run (also the Job's name suffix).")
    public Long lastRunId;
}
