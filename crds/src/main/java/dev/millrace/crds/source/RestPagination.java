package dev.millrace.crds.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** How the pages of an endpoint are walked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestPagination {
    public enum Type {
        @JsonProperty("none")
        NONE,
        @JsonProperty("cursor")
        CURSOR,
        @JsonProperty("offset")
        OFFSET,
        @JsonProperty("page")
        PAGE,
        @JsonProperty("link")
        LINK;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Required
    @JsonPropertyDescription(
            "none (one request), cursor (the last record's field or a next cursor in the body),"
                    + " offset (limit/offset), page (page number) or link (Link header rel=next).")
    public Type type;

    @Min(1)
    @Max(10000)
    @JsonPropertyDescription("Records per page, sent as limitParam. Default 100.")
    public Integer pageSize;

    @Size(max = 128)
    @JsonPropertyDescription("The page-size parameter. Default limit; empty sends none.")
    public String limitParam;

    @Size(min = 1, max = 128)
    @JsonPropertyDescription("cursor: the parameter of the next request. Default starting_after.")
    public String cursorParam;

    @Size(min = 1, max = 256)
    @JsonPropertyDescription("cursor: the last record's field that is the next cursor. Default id.")
    public String cursorRecordField;

    @Size(min = 2, max = 256)
    @Pattern("^/.*")
    @JsonPropertyDescription(
            "cursor: JSON pointer to the next cursor in the body (e.g. /meta/next); a missing or"
                    + " null value ends the walk. Overrides cursorRecordField.")
    public String nextCursorPath;

    @Size(min = 2, max = 256)
    @Pattern("^/.*")
    @JsonPropertyDescription(
            "JSON pointer to a boolean saying another page follows (e.g. /has_more). Without it a"
                    + " short or empty page is the last.")
    public String hasMorePath;

    @Size(min = 1, max = 128)
    @JsonPropertyDescription("offset: the parameter. Default offset.")
    public String offsetParam;

    @Size(min = 1, max = 128)
    @JsonPropertyDescription("page: the parameter. Default page.")
    public String pageParam;

    @Min(0)
    @JsonPropertyDescription("page: the first page's number. Default 1.")
    public Integer startPage;
}
