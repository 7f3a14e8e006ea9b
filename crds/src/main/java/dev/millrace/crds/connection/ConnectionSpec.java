package dev.millrace.crds.connection;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.ObjectRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConnectionSpec {
    @Size(max = 150)
    @JsonPropertyDescription("Human-readable name; metadata.name is the slug derived from it.")
    public String displayName;

    @Required
    @JsonPropertyDescription("The Source to read.")
    public ObjectRef sourceRef;

    @Required
    @JsonPropertyDescription("The Destination to write.")
    public ObjectRef destinationRef;

    @Pattern("^[a-z_][a-z0-9_]{0,62}$")
    @JsonPropertyDescription(
            "Warehouse schema to land in; <destination schemaPrefix><source name> when unset.")
    public String destinationSchema;

    @Size(max = 500)
    @JsonPropertyDescription("Streams to sync and their modes; every source stream when empty.")
    public List<ConnectionStream> streams = new ArrayList<>();

    @JsonPropertyDescription("When to sync. Manual when unset.")
    public Schedule schedule;

    @Default("false")
    @JsonPropertyDescription("When true no scheduled sync starts (manual requests still run).")
    public Boolean suspend = false;

    @Default("false")
    @JsonPropertyDescription(
            "Allow a full refresh to replace a non-empty table with zero rows (off: such a sync"
                    + " fails and keeps the old data).")
    public Boolean allowEmptyReplace = false;

    @JsonPropertyDescription("CPU and memory for the sync Job's container.")
    public ResourceRequirements resources;

    public Schedule scheduleOrManual() {
        return schedule == null ? Schedule.manual() : schedule;
    }

    // Not a property: without @JsonIgnore the getter adds a phantom "suspended" field to the CRD
    // schema and to every serialized spec.
    @JsonIgnore
    public boolean isSuspended() {
        return Boolean.TRUE.equals(suspend);
    }
}
