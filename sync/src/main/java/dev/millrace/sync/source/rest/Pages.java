package dev.millrace.sync.source.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.sync.plan.RestStreamPlan;
import dev.millrace.sync.plan.RestStreamPlan.PaginationPlan;
import dev.millrace.sync.result.SyncFailure;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Walks the pages of one endpoint in the endpoint's paging style, handing every record on. Only the
 * values needed to ask for the next page are kept between pages.
 */
final class Pages {

    /** Receives the records of every page, one at a time. */
    interface Sink {
        void add(JsonNode record) throws SQLException;
    }

    private static final Pattern LINK =
            Pattern.compile("<([^>]*)>\\s*((?:;\\s*[^;,]+)*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern REL_NEXT =
            Pattern.compile(";\\s*rel\\s*=\\s*\"?([^\";]*)\"?", Pattern.CASE_INSENSITIVE);

    /**
     * Parsed pages waiting for the sink: enough to keep the network busy while one page is
     * appended, few enough that the heap holds at most a handful of pages.
     */
    static final int PREFETCH_PAGES = 4;

    /** A bound on runaway paging: an API repeating a page would otherwise loop forever. */
    private static final long MAX_PAGES = 10_000_000;

    private final RestHttp http;
    private final String baseUrl;
    private final RestStreamPlan endpoint;
    private final PaginationPlan paging;
    private final String savedCursor;
    private final AtomicLong pages = new AtomicLong();

    Pages(RestHttp http, String baseUrl, RestStreamPlan endpoint, String savedCursor) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.endpoint = endpoint;
        this.paging =
                endpoint.pagination() == null
                        ? new PaginationPlan(
                                null, null, "", null, null, null, null, null, null, null)
                        : endpoint.pagination();
        this.savedCursor = savedCursor;
    }

    long pages() {
        return pages.get();
    }

    /** The first page's URI: the path, the endpoint's parameters, page size and saved cursor. */
    URI firstPage() {
        Map<String, String> params = new LinkedHashMap<>(endpoint.params());
        if (!paging.type().equals(PaginationPlan.NONE) && !paging.limitParam().isEmpty()) {
            params.put(paging.limitParam(), Integer.toString(paging.pageSize()));
        }
        if (savedCursor != null && endpoint.cursorParam() != null) {
            params.put(endpoint.cursorParam(), savedCursor);
        }
        switch (paging.type()) {
            case PaginationPlan.OFFSET -> params.put(paging.offsetParam(), "0");
            case PaginationPlan.PAGE ->
                    params.put(paging.pageParam(), Integer.toString(paging.startPage()));
            default -> {}
        }
        return withParams(URI.create(join(baseUrl, endpoint.path())), params);
    }

    /**
     * Requests every page and hands each record to {@code sink}.
     *
     * @return the number of records
     */
    long walk(Sink sink) {
        return walk(sink, MAX_PAGES);
    }

    /**
     * Requests pages, at most {@code pageLimit} of them, and hands each record to {@code sink}. The
     * pages are requested and parsed on a background thread up to {@link #PREFETCH_PAGES} ahead of
     * the sink (the next page's address depends only on the page before, never on the sink), so the
     * network and the parser work while the sink appends.
     *
     * @return the number of records
     */
    long walk(Sink sink, long pageLimit) {
        long total = 0;
        try (PagePrefetch<Page> prefetch =
                new PagePrefetch<>(
                        "millrace-rest-pages-" + endpoint.path(),
                        PREFETCH_PAGES,
                        out -> fetch(out, pageLimit))) {
            for (Page page = prefetch.next(); page != null; page = prefetch.next()) {
                try {
                    for (JsonNode record : page.records()) {
                        sink.add(record);
                    }
                } catch (SyncFailure | CancellationException e) {
                    throw pageFailure(page.uri(), e);
                } catch (SQLException e) {
                    throw new SyncFailure(
                            "reading page "
                                    + http.shown(page.uri())
                                    + " failed: "
                                    + e.getMessage());
                }
                total += page.records().size();
            }
        }
        return total;
    }

    /** One page's records, parsed, and where they came from. */
    private record Page(URI uri, List<JsonNode> records) {}

    /** Requests and parses the pages one after the other, handing each to {@code out}. */
    private void fetch(PagePrefetch.Out<Page> out, long pageLimit) throws InterruptedException {
        Set<String> pointers = new HashSet<>();
        if (paging.hasMorePath() != null) {
            pointers.add(paging.hasMorePath());
        }
        if (paging.nextCursorPath() != null) {
            pointers.add(paging.nextCursorPath());
        }
        PageParser parser = new PageParser(endpoint.recordsPath(), pointers);
        URI uri = firstPage();
        long offset = 0;
        long page = paging.startPage();
        while (uri != null) {
            if (pages.incrementAndGet() > MAX_PAGES) {
                throw new SyncFailure("more than " + MAX_PAGES + " pages; paging does not end");
            }
            HttpResponse<InputStream> response = http.get(uri);
            List<JsonNode> records = new ArrayList<>();
            PageParser.Page result;
            try (InputStream body = response.body()) {
                result = parser.parse(body, records::add);
            } catch (SyncFailure | CancellationException e) {
                throw pageFailure(uri, e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("closed while reading a page");
                }
                throw new SyncFailure(
                        "reading page " + http.shown(uri) + " failed: " + e.getMessage());
            }
            if (!result.found()) {
                throw new SyncFailure(
                        "page "
                                + http.shown(uri)
                                + " has no records array at "
                                + (endpoint.recordsPath() == null
                                        ? "the top level"
                                        : endpoint.recordsPath()));
            }
            offset += result.records();
            page++;
            String lastCursor =
                    records.isEmpty()
                            ? null
                            : text(records.get(records.size() - 1).get(paging.cursorRecordField()));
            URI next = next(uri, response, result, lastCursor, offset, page);
            if (next != null && next.equals(uri)) {
                throw new SyncFailure(
                        "paging does not advance: the next page of "
                                + http.shown(uri)
                                + " is the same page");
            }
            out.put(new Page(uri, records));
            uri = pages.get() >= pageLimit ? null : next;
        }
    }

    private RuntimeException pageFailure(URI uri, RuntimeException e) {
        if (e instanceof CancellationException) {
            return e;
        }
        return new SyncFailure("page " + http.shown(uri) + ": " + e.getMessage());
    }

    /** The next page's URI, or null when this page was the last. */
    private URI next(
            URI current,
            HttpResponse<?> response,
            PageParser.Page result,
            String lastCursor,
            long offset,
            long page) {
        switch (paging.type()) {
            case PaginationPlan.NONE -> {
                return null;
            }
            case PaginationPlan.LINK -> {
                String next = nextLink(response);
                return next == null ? null : current.resolve(next);
            }
            case PaginationPlan.CURSOR -> {
                if (paging.nextCursorPath() != null) {
                    String cursor = text(result.values().get(paging.nextCursorPath()));
                    if (cursor == null || cursor.isEmpty() || !hasMore(result)) {
                        return null;
                    }
                    return withParams(current, Map.of(paging.cursorParam(), cursor));
                }
                if (!hasMore(result)) {
                    return null;
                }
                if (lastCursor == null) {
                    throw new SyncFailure(
                            "the last record of page "
                                    + http.shown(current)
                                    + " has no \""
                                    + paging.cursorRecordField()
                                    + "\" to ask for the next page with");
                }
                return withParams(current, Map.of(paging.cursorParam(), lastCursor));
            }
            case PaginationPlan.OFFSET -> {
                return hasMore(result)
                        ? withParams(current, Map.of(paging.offsetParam(), Long.toString(offset)))
                        : null;
            }
            case PaginationPlan.PAGE -> {
                return hasMore(result)
                        ? withParams(current, Map.of(paging.pageParam(), Long.toString(page)))
                        : null;
            }
            default -> throw new SyncFailure("unsupported pagination " + paging.type());
        }
    }

    /**
     * Whether another page follows: the page's own flag when the API has one, else whether the page
     * was full (a short or empty page is the last).
     */
    private boolean hasMore(PageParser.Page result) {
        if (result.records() == 0) {
            return false;
        }
        if (paging.hasMorePath() != null) {
            JsonNode flag = result.values().get(paging.hasMorePath());
            return flag != null && flag.asBoolean(false);
        }
        return result.records() >= paging.pageSize();
    }

    /** The target of the {@code Link} header's {@code rel="next"}, if any (RFC 8288). */
    static String nextLink(HttpResponse<?> response) {
        for (String header : response.headers().allValues("Link")) {
            Matcher link = LINK.matcher(header);
            while (link.find()) {
                Matcher rel = REL_NEXT.matcher(link.group(2));
                while (rel.find()) {
                    for (String value : rel.group(1).trim().split("\\s+")) {
                        if (value.equalsIgnoreCase("next")) {
                            return link.group(1).trim();
                        }
                    }
                }
            }
        }
        return null;
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    static String join(String base, String path) {
        String left = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String right = path.startsWith("/") ? path : "/" + path;
        return left + right;
    }

    /** The URI with each parameter set, replacing a parameter of the same name. */
    static URI withParams(URI uri, Map<String, String> params) {
        Map<String, String> merged = new LinkedHashMap<>();
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String key = equals < 0 ? pair : pair.substring(0, equals);
                merged.put(key, equals < 0 ? null : pair.substring(equals + 1));
            }
        }
        params.forEach(
                (key, value) ->
                        merged.put(
                                URLEncoder.encode(key, StandardCharsets.UTF_8),
                                URLEncoder.encode(value, StandardCharsets.UTF_8)));
        StringBuilder rebuilt = new StringBuilder();
        merged.forEach(
                (key, value) -> {
                    if (rebuilt.length() > 0) {
                        rebuilt.append('&');
                    }
                    rebuilt.append(key);
                    if (value != null) {
                        rebuilt.append('=').append(value);
                    }
                });
        String text = uri.toString();
        int cut = text.indexOf('?');
        if (cut < 0) {
            cut = text.indexOf('#');
        }
        String base = cut < 0 ? text : text.substring(0, cut);
        return URI.create(base + (rebuilt.length() == 0 ? "" : "?" + rebuilt));
    }
}
