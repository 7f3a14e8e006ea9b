package dev.millrace.crds.connection;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.Patterns;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** One stream a Connection moves, and how. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        // has() first: an absent primaryKey must fail with the message below, not with CEL's
        // "no such key" evaluation error.
        value =
                "self.syncMode != 'incremental_deduped_history'"
                        + " || (has(self.primaryKey) && size(self.primaryKey) > 0)",
        message = "primaryKey is required when syncMode is incremental_deduped_history")
public class ConnectionStream {
    @Required
    @Pattern(Patterns.SQL_IDENTIFIER)
    @JsonPropertyDescription("Name of the source stream; also the destination table.")
    public String name;

    @Default("incremental_append")
    @JsonPropertyDescription(
            "full_refresh_overwrite, full_refresh_append, incremental_append or"
                    + " incremental_deduped_history (Airbyte's meanings).")
    public SyncMode syncMode = SyncMode.INCREMENTAL_APPEND;

    @Pattern(Patterns.SQL_IDENTIFIER)
    @JsonPropertyDescription("Column whose growth marks new rows (incremental modes).")
    public String cursorField;

    @Size(max = 16)
    @JsonPropertyDescription("Primary key columns (required for incremental_deduped_history).")
    public List<String> primaryKey = new ArrayList<>();
}
