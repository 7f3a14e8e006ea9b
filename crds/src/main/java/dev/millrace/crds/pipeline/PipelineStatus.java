package dev.millrace.crds.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.*;
import io.fabric8.generator.annotation.*;
import java.util.*;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineStatus extends MillraceStatus {
    @Size(max = 50)
    @JsonPropertyDescription("The watermark the next execution starts from.")
    public String watermark;

    @Size(max = 50)
    @JsonPropertyDescription("Becomes watermark when the running execution succeeds.")
    public String nextWatermark;

    public String lastTargetInsert;
    public String lastTargetUpdate;
    public String lastTargetSoftDelete;

    @JsonPropertyDescription("The most recent execution.")
    public ExecutionSummary lastExecution;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class ExecutionSummary {
        public Long id;
        public String status;
        public String start;
        public String end;
        public Long totalRows;
    }
}
