package dev.millrace.crds.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** The status fields every Millrace kind has. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class MillraceStatus {
    @JsonPropertyDescription("The metadata.generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription(
            "Integer id allocated once by the Millrace store (never reused); used by the Watcher"
                    + " and Databasin APIs.")
    public Long id;

    @JsonPropertyDescription(
            "Current conditions in the Kubernetes convention; Ready on every kind.")
    public List<Condition> conditions = new ArrayList<>();
}
