package dev.millrace.operator.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.millrace.operator.leader.LeaderElection;
import dev.millrace.operator.metrics.OperatorMetrics;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's port for the platform: {@code /metrics} (Prometheus text), {@code /healthz}
 * (liveness: the process serves HTTP) and {@code /readyz} (readiness: the operator started and all
 * its informers are healthy).
 *
 * <p>A standby replica without the lease is ready: it watches and would reconcile the moment it
 * leads, and marking it unready would only make a rolling update wait for nothing. The body of
 * {@code /readyz} says which role the replica has.
 */
public final class OperationsEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperationsEndpoint.class);

    private final HttpServer server;
    private final OperatorMetrics metrics;
    private final Supplier<RuntimeInfo> runtime;
    private final LeaderElection.State leadership;

    private OperationsEndpoint(
            HttpServer server,
            OperatorMetrics metrics,
            Supplier<RuntimeInfo> runtime,
            LeaderElection.State leadership) {
        this.server = server;
        this.metrics = metrics;
        this.runtime = runtime;
        this.leadership = leadership;
    }

    /**
     * Binds {@code listen} (host:port, port 0 picks a free one) and starts serving.
     *
     * @param leadership the replica's leadership, or null without leader election
     */
    public static OperationsEndpoint start(
            String listen,
            OperatorMetrics metrics,
            Supplier<RuntimeInfo> runtime,
            LeaderElection.State leadership)
            throws IOException {
        int colon = listen.lastIndexOf(':');
        String host = colon <= 0 ? "0.0.0.0" : listen.substring(0, colon);
        int port = Integer.parseInt(listen.substring(colon + 1));
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        OperationsEndpoint endpoint = new OperationsEndpoint(server, metrics, runtime, leadership);
        server.createContext("/metrics", endpoint::metrics);
        server.createContext("/healthz", ex -> respond(ex, 200, "text/plain", "ok\n"));
        server.createContext("/readyz", endpoint::ready);
        server.setExecutor(
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "millrace-operations-endpoint");
                            t.setDaemon(true);
                            return t;
                        }));
        server.start();
        LOG.info("Metrics and health endpoints listening on {}", endpoint.address());
        return endpoint;
    }

    /** host:port actually bound. */
    public String address() {
        return server.getAddress().getAddress().getHostAddress()
                + ":"
                + server.getAddress().getPort();
    }

    private void metrics(HttpExchange ex) throws IOException {
        if (!exactly(ex, "/metrics")) {
            return;
        }
        respond(ex, 200, metrics.contentType(), metrics.scrape());
    }

    private void ready(HttpExchange ex) throws IOException {
        if (!exactly(ex, "/readyz")) {
            return;
        }
        RuntimeInfo info = runtime.get();
        if (info == null || !info.isStarted()) {
            respond(ex, 503, "text/plain", "starting\n");
            return;
        }
        if (!info.allEventSourcesAreHealthy()) {
            respond(
                    ex,
                    503,
                    "text/plain",
                    "unhealthy event sources: " + info.unhealthyEventSources().keySet() + "\n");
            return;
        }
        String role = leadership == null ? "single" : leadership.leading() ? "leader" : "standby";
        respond(ex, 200, "text/plain", "ready (" + role + ")\n");
    }

    private static boolean exactly(HttpExchange ex, String path) throws IOException {
        if (ex.getRequestURI().getPath().equals(path)) {
            return true;
        }
        respond(ex, 404, "text/plain", "not found\n");
        return false;
    }

    private static void respond(HttpExchange ex, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (var out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
