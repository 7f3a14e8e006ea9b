package dev.millrace.crds.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.ObjectRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!(self.type in ['csv', 'parquet', 'json']) || has(self.files)",
        message = "files is required when type is csv, parquet or json")
@ValidationRule(
        value = "self.type != 'jdbc' || has(self.connectorRef)",
        message = "connectorRef is required when type is jdbc")
public class SourceSpec {
    @Size(max = 150)
    @JsonPropertyDescription("Human-readable name; metadata.name is the slug derived from it.")
    public String displayName;

    @Required
    @JsonPropertyDescription("How the source is read: csv, parquet, json, jdbc, rest or stripe.")
    public SourceType type;

    @Default("true")
    @JsonPropertyDescription("A disabled source is never synced by a schedule.")
    public Boolean enabled = true;

    @JsonPropertyDescription("The Connector that holds host and credentials (jdbc sources).")
    public ObjectRef connectorRef;

    @JsonPropertyDescription("Folder settings for file sources (csv, parquet, json).")
    public FileSource files;

    @Size(max = 500)
    @JsonPropertyDescription(
            "The streams (tables) this source offers. File sources default to one stream named"
                    + " after the source.")
    public List<SourceStream> streams = new ArrayList<>();

    @JsonPropertyDescription(
            "After a successful sync of a Connection reading this source, run every Model built in"
                    + " that Connection's destination, in dependency order (default false).")
    public Boolean runModelsAfterSync;

    public boolean isEnabled() {
        return enabled == null || enabled;
    }

    public boolean runsModelsAfterSync() {
        return Boolean.TRUE.equals(runModelsAfterSync);
    }
}
