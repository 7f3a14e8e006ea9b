package dev.millrace.operator.alert;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on loopback for tests: records every request and answers with scripted status
 * codes (200 once the script is used up), or {@link #HANG}s until it is closed.
 */
public final class AlertReceiver implements AutoCloseable {
    /** A scripted answer: hold the request open until the receiver closes. */
    public static final int HANG = -1;

    public record Request(String path, String contentType, String body) {}

    private final HttpServer server;
    private final Deque<Integer> script = new ArrayDeque<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger hanging = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);

    private AlertReceiver(HttpServer server) {
        this.server = server;
    }

    public static AlertReceiver start(Integer... answers) throws IOException {
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AlertReceiver receiver = new AlertReceiver(server);
        receiver.script.addAll(List.of(answers));
        server.createContext("/", receiver::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        return receiver;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(
                new Request(
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        body));
        int answer;
        synchronized (script) {
            answer = script.isEmpty() ? 200 : script.removeFirst();
        }
        if (answer == HANG) {
            hanging.incrementAndGet();
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        byte[] reply = "ok".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    /** The receiver's URL with {@code path}, e.g. a Slack-like one whose path is the token. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests being held open right now. */
    public int hanging() {
        return hanging.get();
    }

    /** A {@value Notifier#SECRET} Secret for the namespace, as a person would write it. */
    public static Secret secret(String namespace, Map<String, String> values) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(Notifier.SECRET)
                .withNamespace(namespace)
                .endMetadata()
                .withStringData(values)
                .build();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
