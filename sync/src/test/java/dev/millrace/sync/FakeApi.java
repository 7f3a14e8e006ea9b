package dev.millrace.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * An HTTP API on loopback that behaves like the APIs a rest source reads: Stripe's list endpoints
 * under {@code /v1/<list>} (newest first, {@code limit}, {@code starting_after}, {@code
 * created[gte]}, {@code has_more}, bearer key) and a generic {@code /api/items} paged in each style
 * the source supports ({@code /api/offset/items}, {@code /api/page/items}, {@code /api/link/items},
 * {@code /api/cursor/items}), each with its own credential check. It records every request and can
 * be told to answer the next requests of a path with a failure first.
 */
final class FakeApi implements AutoCloseable {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One request as the server saw it: path, decoded query parameters and the auth headers. */
    record Request(String path, Map<String, String> params, Map<String, String> headers) {}

    /** A canned answer served instead of the real one. */
    record Canned(int status, Map<String, String> headers, String body, long delayMillis) {}

    private final HttpServer server;
    private final Map<String, List<ObjectNode>> lists = new ConcurrentHashMap<>();
    private final Map<String, Deque<Canned>> canned = new ConcurrentHashMap<>();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    /** Credentials the endpoints accept; a request without them gets a 401. */
    String stripeKey = "sk_test_fake";

    String bearerToken = null;
    String basicUser = null;
    String basicPassword = null;
    String apiKeyHeader = null;
    String apiKeyQuery = null;

    FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String stripeUrl() {
        return baseUrl() + "/v1";
    }

    /** The records of a list (a Stripe list name, or {@code items}), created by the caller. */
    List<ObjectNode> list(String name) {
        return lists.computeIfAbsent(name, key -> Collections.synchronizedList(new ArrayList<>()));
    }

    /** A Stripe-like object: id, created, amount and a nested metadata object. */
    ObjectNode stripeObject(String list, String id, long created, long amount) {
        ObjectNode object = JSON.createObjectNode();
        object.put("id", id);
        object.put("object", list.replaceAll("s$", ""));
        object.put("created", created);
        object.put("amount", amount);
        object.put("currency", "eur");
        object.put("livemode", false);
        object.putObject("metadata").put("order", "o-" + id);
        list(list).add(object);
        return object;
    }

    /** Answers the next request for {@code path} with this instead of the real page. */
    void failNext(String path, int status, Map<String, String> headers, String body) {
        canned.computeIfAbsent(path, key -> new ArrayDeque<>())
                .add(new Canned(status, headers, body, 0));
    }

    /** Answers the next request for {@code path} only after {@code delayMillis}. */
    void delayNext(String path, long delayMillis) {
        canned.computeIfAbsent(path, key -> new ArrayDeque<>())
                .add(new Canned(0, Map.of(), null, delayMillis));
    }

    List<Request> requestsTo(String path) {
        synchronized (requests) {
            return requests.stream().filter(request -> request.path().equals(path)).toList();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> params = params(exchange.getRequestURI().getRawQuery());
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : new String[] {"Authorization", "X-Api-Key"}) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
            requests.add(new Request(path, params, headers));
            Deque<Canned> queue = canned.get(path);
            Canned next = queue == null ? null : queue.poll();
            if (next != null) {
                if (next.delayMillis() > 0) {
                    try {
                        Thread.sleep(next.delayMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                } else {
                    next.headers().forEach(exchange.getResponseHeaders()::add);
                    send(exchange, next.status(), next.body());
                    return;
                }
            }
            if (path.startsWith("/v1/")) {
                stripe(exchange, path.substring("/v1/".length()), params, headers);
            } else if (path.startsWith("/api/")) {
                generic(exchange, path, params, headers);
            } else {
                send(exchange, 404, "{\"error\":\"no such path\"}");
            }
        }
    }

    private void stripe(
            HttpExchange exchange,
            String list,
            Map<String, String> params,
            Map<String, String> headers)
            throws IOException {
        if (!("Bearer " + stripeKey).equals(headers.get("Authorization"))) {
            send(
                    exchange,
                    401,
                    "{\"error\":{\"message\":\"Invalid API Key provided: "
                            + headers.getOrDefault("Authorization", "none")
                            + "\",\"type\":\"invalid_request_error\"}}");
            return;
        }
        List<ObjectNode> records;
        synchronized (list(list)) {
            records = new ArrayList<>(list(list));
        }
        // Stripe lists newest first.
        records.sort(
                Comparator.comparingLong((ObjectNode r) -> r.get("created").asLong())
                        .thenComparing(r -> r.get("id").asText())
                        .reversed());
        if (params.containsKey("created[gte]")) {
            long since = Long.parseLong(params.get("created[gte]"));
            records.removeIf(record -> record.get("created").asLong() < since);
        }
        int start = 0;
        if (params.containsKey("starting_after")) {
            String after = params.get("starting_after");
            for (int index = 0; index < records.size(); index++) {
                if (records.get(index).get("id").asText().equals(after)) {
                    start = index + 1;
                }
            }
        }
        int limit = Integer.parseInt(params.getOrDefault("limit", "10"));
        int end = Math.min(records.size(), start + limit);
        ObjectNode page = JSON.createObjectNode();
        page.put("object", "list");
        ArrayNode data = page.putArray("data");
        records.subList(start, end).forEach(data::add);
        page.put("has_more", end < records.size());
        page.put("url", "/v1/" + list);
        send(exchange, 200, page.toString());
    }

    private void generic(
            HttpExchange exchange,
            String path,
            Map<String, String> params,
            Map<String, String> headers)
            throws IOException {
        if (!authorized(params, headers)) {
            send(exchange, 401, "{\"error\":\"unauthorized\"}");
            return;
        }
        List<ObjectNode> records;
        synchronized (list("items")) {
            records = new ArrayList<>(list("items"));
        }
        records.sort(Comparator.comparingLong(r -> r.get("id").asLong()));
        if (params.containsKey("since")) {
            String since = params.get("since");
            records.removeIf(record -> record.get("updated_at").asText().compareTo(since) < 0);
        }
        String style = path.split("/")[2];
        int limit = Integer.parseInt(params.getOrDefault("limit", "10"));
        int start;
        switch (style) {
            case "offset" -> start = Integer.parseInt(params.getOrDefault("offset", "0"));
            case "page" ->
                    start =
                            (Integer.parseInt(params.getOrDefault("page", "1")) - 1)
                                    * Integer.parseInt(params.getOrDefault("per_page", "10"));
            case "link", "cursor" -> start = Integer.parseInt(params.getOrDefault("cursor", "0"));
            default -> {
                send(exchange, 404, "{}");
                return;
            }
        }
        if (style.equals("page")) {
            limit = Integer.parseInt(params.getOrDefault("per_page", "10"));
        }
        int end = Math.min(records.size(), Math.max(start, 0) + limit);
        ArrayNode items = JSON.createArrayNode();
        if (start < records.size()) {
            records.subList(start, end).forEach(items::add);
        }
        switch (style) {
            case "link" -> {
                if (end < records.size()) {
                    // A relative next link with its own parameters, as GitHub-style APIs send.
                    exchange.getResponseHeaders()
                            .add(
                                    "Link",
                                    "<"
                                            + path
                                            + "?limit="
                                            + limit
                                            + "&cursor="
                                            + end
                                            + (params.containsKey("since")
                                                    ? "&since=" + params.get("since")
                                                    : "")
                                            + ">; rel=\"next\", <"
                                            + path
                                            + "?cursor=0>; rel=\"first\"");
                }
                send(exchange, 200, items.toString());
            }
            case "cursor" -> {
                ObjectNode page = JSON.createObjectNode();
                page.set("results", items);
                ObjectNode meta = page.putObject("meta");
                if (end < records.size()) {
                    meta.put("next", Integer.toString(end));
                } else {
                    meta.putNull("next");
                }
                send(exchange, 200, page.toString());
            }
            default -> {
                ObjectNode page = JSON.createObjectNode();
                page.put("total", records.size());
                page.putObject("payload").set("items", items);
                send(exchange, 200, page.toString());
            }
        }
    }

    private boolean authorized(Map<String, String> params, Map<String, String> headers) {
        String authorization = headers.get("Authorization");
        if (bearerToken != null) {
            return ("Bearer " + bearerToken).equals(authorization);
        }
        if (basicUser != null) {
            String expected =
                    "Basic "
                            + java.util.Base64.getEncoder()
                                    .encodeToString(
                                            (basicUser + ":" + basicPassword)
                                                    .getBytes(StandardCharsets.UTF_8));
            return expected.equals(authorization);
        }
        if (apiKeyHeader != null) {
            return apiKeyHeader.equals(headers.get("X-Api-Key"));
        }
        if (apiKeyQuery != null) {
            return apiKeyQuery.equals(params.get("api_key"));
        }
        return true;
    }

    /** An item of the generic API. */
    ObjectNode item(long id, String name, String updatedAt) {
        ObjectNode item = JSON.createObjectNode();
        item.put("id", id);
        item.put("name", name);
        item.put("updated_at", updatedAt);
        item.put("price", id * 1.5);
        item.putArray("tags").add("t" + id);
        list("items").add(item);
        return item;
    }

    private static Map<String, String> params(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String key =
                    URLDecoder.decode(
                            equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value =
                    equals < 0
                            ? ""
                            : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
