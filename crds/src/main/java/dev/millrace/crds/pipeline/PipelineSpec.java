package dev.millrace.crds.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.crds.common.*;
import io.fabric8.generator.annotation.*;
import java.util.*;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineSpec {
    @Required
    @Size(min = 1, max = 150)
    @JsonPropertyDescription("The Watcher pipeline name.")
    public String displayName;

    @Required
    @JsonPropertyDescription("The PipelineType this pipeline belongs to.")
    public ObjectRef pipelineTypeRef;

    @io.fabric8.crd.generator.annotation.PreserveUnknownFields
    @JsonPropertyDescription("Free-form pipeline metadata (the Watcher pipeline_metadata).")
    public JsonNode metadata;

    @JsonPropertyDescription("Freshness threshold; the type's when unset.")
    public Threshold freshness;

    @JsonPropertyDescription("Timeliness threshold; the type's when unset.")
    public Threshold timeliness;

    @Default("false")
    @JsonPropertyDescription("Whether address lineage is (re)loaded on the next execution.")
    public Boolean loadLineage = false;

    @Default("true")
    @JsonPropertyDescription("Inactive pipelines are not checked.")
    public Boolean active = true;

    @JsonPropertyDescription("The Connection whose Jobs this pipeline observes, if any.")
    public ObjectRef connectionRef;
}
