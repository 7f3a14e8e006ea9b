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

    public String lastRun;
    public Long rowCount;
    public String lastError;
}
