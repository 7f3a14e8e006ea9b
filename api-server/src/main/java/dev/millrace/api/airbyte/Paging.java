package dev.millrace.api.airbyte;

import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One page of a list: {@code limit} 1–100 (default 20) and {@code offset} ≥ 0 (default 0), and the
 * body {@code {"data": [...], "previous": url-or-"", "next": url-or-""}} of the reference.
 */
record Paging(int limit, int offset) {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    static Paging of(Context ctx) {
        return new Paging(
                integer(ctx.queryParam("limit"), "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
                integer(ctx.queryParam("offset"), "offset", 0, 0, Integer.MAX_VALUE));
    }

    private static int integer(String value, String name, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw PublicApiException.invalidQuery(
                    name + " must be an integer, got '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw PublicApiException.invalidQuery(
                    name
                            + (max == Integer.MAX_VALUE
                                    ? " must be at least " + min
                                    : " must be between " + min + " and " + max)
                            + ", got "
                            + parsed);
        }
        return (int) parsed;
    }

    /** The items of this page out of all of them. */
    <T> List<T> slice(List<T> all) {
        if (offset >= all.size()) {
            return List.of();
        }
        return all.subList(offset, Math.min(all.size(), offset + limit));
    }

    /** The list body for this page of {@code total} items. */
    Map<String, Object> body(List<?> data, long total, Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        body.put("previous", offset > 0 ? url(ctx, Math.max(0, offset - limit)) : "");
        body.put("next", (long) offset + limit < total ? url(ctx, offset + limit) : "");
        return body;
    }

    /** The same request with another offset: other query parameters kept as sent. */
    private String url(Context ctx, int newOffset) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, List<String>> parameter : ctx.queryParamMap().entrySet()) {
            if (parameter.getKey().equals("limit") || parameter.getKey().equals("offset")) {
                continue;
            }
            for (String value : parameter.getValue()) {
                query.append(encode(parameter.getKey()))
                        .append('=')
                        .append(encode(value))
                        .append('&');
            }
        }
        query.append("limit=").append(limit).append("&offset=").append(newOffset);
        return ctx.url() + "?" + query;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
