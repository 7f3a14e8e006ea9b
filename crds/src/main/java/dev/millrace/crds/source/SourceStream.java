package dev.millrace.crds.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.millrace.crds.common.Patterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

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

    @Size(min = 1, max = 2048)
    @Pattern("^[^:]*$|^/.*")
    @JsonPropertyDescription(
            "For rest sources (and stripe lists the preset does not know): the endpoint path"
                    + " below the base URL, e.g. /v2/orders.")
    public String path;

    @Size(max = 256)
    @Pattern("^(/.*)?$")
    @JsonPropertyDescription(
            "For rest sources: JSON pointer to the records array in a page, e.g. /data; empty"
                    + " means the page is the array. Default: rest.recordsPath.")
    public String recordsPath;

    @Size(max = 16)
    @JsonPropertyDescription(
            "The fields identifying a record; the default primaryKey of connections (stripe: id).")
    public List<String> primaryKey;

    @Size(min = 1, max = 256)
    @JsonPropertyDescription(
            "The field ordering records in time; the default cursorField of connections (stripe:"
                    + " created).")
    public String cursorField;

    @Size(min = 1, max = 256)
    @JsonPropertyDescription(
            "For rest sources: the query parameter that carries the saved cursor on incremental"
                    + " runs, e.g. updated_since or created[gte]. Without it every run reads"
                    + " everything and the cursor filters.")
    public String cursorParam;

    @Size(max = 50)
    @JsonPropertyDescription("For rest sources: query parameters sent with every request.")
    public Map<String, String> params;

    @JsonPropertyDescription("For rest sources: paging of this stream. Default: rest.pagination.")
    public RestPagination pagination;

    @Size(max = 1000)
    @JsonPropertyDescription(
            "For rest sources: the stream's columns and types. Without them columns are"
                    + " discovered from the records (objects and arrays land as JSON).")
    public List<RestColumn> columns;
}
