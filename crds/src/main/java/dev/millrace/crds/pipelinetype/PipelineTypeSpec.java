package dev.millrace.crds.pipelinetype;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.*;
import io.fabric8.generator.annotation.*;
import java.util.*;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineTypeSpec {
    @Required
    @Size(min = 1, max = 150)
    @JsonPropertyDescription("The Watcher pipeline_type name.")
    public String displayName;

    @JsonPropertyDescription("Default freshness threshold for pipelines of this type.")
    public Threshold freshness;

    @JsonPropertyDescription("Default timeliness threshold for pipelines of this type.")
    public Threshold timeliness;
}
