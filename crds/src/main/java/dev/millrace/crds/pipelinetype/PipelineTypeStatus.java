package dev.millrace.crds.pipelinetype;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.millrace.crds.common.MillraceStatus;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineTypeStatus extends MillraceStatus {}
