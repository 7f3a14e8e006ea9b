package dev.millrace.crds.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.Patterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** One stream of a source: a file group, a table or an endpoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourceStream {
    @Required
    @Pattern(Patterns.SQL_IDENTIFIER)
    @JsonPropertyDescription("Stream name; also the destination table name.")
    public String name;

    @Size(min = 1, max = 256)
    @JsonPropertyDescription("For file sources: the files of this stream, overriding files.glob.")
    public String glob;

    @Size(min = 1, max = 512)
    @JsonPropertyDescription(
            "For jdbc sources: the table or view read, optionally schema.table; default: the"
                    + " stream name.")
    public String table;

    @Size(min = 1, max = 65536)
    @JsonPropertyDescription("For jdbc sources: a SELECT read instead of a table.")
    public String query;
}
