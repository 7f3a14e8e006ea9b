import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A loopback server answering like Stripe's GET /v1/charges: N charges, newest first, pages of
 * `limit` with has_more and starting_after, bearer key checked. Pages are rendered once up front,
 * so the benchmark measures the sync engine, not this server.
 *
 * <p>java bench/RestBenchServer.java <port> <records> <pageSize> <key>
 */
public class RestBenchServer {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int records = Integer.parseInt(args[1]);
        int pageSize = Integer.parseInt(args[2]);
        String authorization = "Bearer " + args[3];
        Map<String, byte[]> pages = new HashMap<>();
        String after = "";
        for (int start = 0; start < records; start += pageSize) {
            StringBuilder page = new StringBuilder("{\"object\":\"list\",\"data\":[");
            int end = Math.min(records, start + pageSize);
            String last = null;
            for (int i = start; i < end; i++) {
                int n = records - i;
                last = String.format("ch_%08d", n);
                if (i > start) {
                    page.append(',');
                }
                page.append("{\"id\":\"")
                        .append(last)
                        .append("\",\"object\":\"charge\",\"amount\":")
                        .append(100 + n % 9000)
                        .append(",\"amount_refunded\":0,\"captured\":true,\"created\":")
                        .append(1_700_000_000L + n)
                        .append(",\"currency\":\"eur\",\"customer\":\"cus_")
                        .append(n % 5000)
                        .append("\",\"description\":\"Order ")
                        .append(n)
                        .append("\",\"livemode\":false,\"paid\":true,\"status\":\"succeeded\",")
                        .append("\"metadata\":{\"order_id\":\"")
                        .append(n)
                        .append("\"},\"billing_details\":{\"email\":\"c")
                        .append(n % 5000)
                        .append("@example.com\",\"name\":null}}");
            }
            page.append("],\"has_more\":")
                    .append(end < records)
                    .append(",\"url\":\"/v1/charges\"}");
            pages.put(after, page.toString().getBytes(StandardCharsets.UTF_8));
            after = last;
        }
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext(
                "/v1/charges",
                exchange -> {
                    try (exchange) {
                        if (!authorization.equals(
                                exchange.getRequestHeaders().getFirst("Authorization"))) {
                            send(exchange, 401, "{\"error\":\"key\"}".getBytes());
                            return;
                        }
                        String query = exchange.getRequestURI().getRawQuery();
                        String startingAfter = "";
                        if (query != null) {
                            for (String pair : query.split("&")) {
                                if (pair.startsWith("starting_after=")) {
                                    startingAfter = pair.substring("starting_after=".length());
                                }
                            }
                        }
                        byte[] body = pages.get(startingAfter);
                        if (body == null) {
                            send(exchange, 400, "{\"error\":\"unknown cursor\"}".getBytes());
                            return;
                        }
                        send(exchange, 200, body);
                    }
                });
        // Answer on the dispatcher thread: no hand-off to a pool for a precomputed page.
        server.setExecutor(null);
        server.start();
        System.out.println("ready " + pages.size() + " pages");
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
