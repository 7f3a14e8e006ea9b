package dev.millrace.sync.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one stream of an HTTP API lives and how its pages are walked. A stripe stream may leave it
 * out: the preset knows every standard Stripe list endpoint.
 *
 * @param path resolved against the source's base URL, e.g. {@code /charges}
 * @param recordsPath JSON pointer to the records array in a page, e.g. {@code /data}; empty or
 *     {@code /} when the page is the array itself
 * @param pagination how the next page is asked for; absent means a single request
 * @param params query parameters sent with every request
 * @param cursorParam the query parameter that carries the saved cursor on incremental runs, e.g.
 *     {@code created[gte]}; absent means every run reads everything and the cursor filters
 * @param columns the stream's schema; absent means columns are discovered from the records
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestStreamPlan(
        String path,
        String recordsPath,
        PaginationPlan pagination,
        Map<String, String> params,
        String cursorParam,
        List<RestColumn> columns) {

    public RestStreamPlan {
        params = params == null ? Map.of() : new LinkedHashMap<>(params);
        columns = columns == null ? null : List.copyOf(new ArrayList<>(columns));
    }

    /**
     * A declared column.
     *
     * @param name the record's field, also the column's name
     * @param type {@code boolean}, {@code bigint}, {@code double}, {@code decimal(p,s)}, {@code
     *     varchar}, {@code date}, {@code timestamp}, {@code timestamptz} or {@code json}
     */
    public record RestColumn(String name, String type) {}

    /**
     * The paging style of an API.
     *
     * @param type {@code none}, {@code cursor}, {@code offset}, {@code page} or {@code link}
     * @param pageSize records asked for per page, sent as {@code limitParam}
     * @param limitParam the page-size parameter (default {@code limit}); empty sends none
     * @param cursorParam cursor paging: the parameter of the next request (default {@code
     *     starting_after})
     * @param cursorRecordField cursor paging: the field of the page's last record that is the next
     *     cursor (default {@code id}), used unless {@code nextCursorPath} is set
     * @param nextCursorPath cursor paging: JSON pointer to the next cursor in the page body; a
     *     missing or null value ends the walk
     * @param hasMorePath JSON pointer to a boolean saying whether another page follows, e.g. {@code
     *     /has_more}
     * @param offsetParam offset paging: the parameter (default {@code offset})
     * @param pageParam page paging: the parameter (default {@code page})
     * @param startPage page paging: the first page's number (default 1)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PaginationPlan(
            String type,
            Integer pageSize,
            String limitParam,
            String cursorParam,
            String cursorRecordField,
            String nextCursorPath,
            String hasMorePath,
            String offsetParam,
            String pageParam,
            Integer startPage) {

        public static final String NONE = "none";
        public static final String CURSOR = "cursor";
        public static final String OFFSET = "offset";
        public static final String PAGE = "page";
        public static final String LINK = "link";
        public static final List<String> TYPES = List.of(NONE, CURSOR, OFFSET, PAGE, LINK);

        public PaginationPlan {
            type = type == null ? NONE : type;
            pageSize = pageSize == null ? 100 : pageSize;
            limitParam = limitParam == null ? "limit" : limitParam;
            cursorParam = cursorParam == null ? "starting_after" : cursorParam;
            cursorRecordField = cursorRecordField == null ? "id" : cursorRecordField;
            offsetParam = offsetParam == null ? "offset" : offsetParam;
            pageParam = pageParam == null ? "page" : pageParam;
            startPage = startPage == null ? 1 : startPage;
        }
    }
}
