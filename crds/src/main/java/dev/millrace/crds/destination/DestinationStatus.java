package dev.millrace.crds.destination;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.millrace.crds.common.MillraceStatus;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DestinationStatus extends MillraceStatus {}
