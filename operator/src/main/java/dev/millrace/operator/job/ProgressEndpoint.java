package dev.millrace.operator.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.millrace.store.Store;
import dev.millrace.store.job.JobRecord;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where running syncs report progress: {@code POST /progress/<jobId>/<attempt>} with the attempt's
 * token as a bearer token and {@code {"stream", "rows", "bytes"}}. Accepted reports go to the store
 * (the attempt's and the job's live counts) and wake the Connection's reconciler, which copies them
 * into {@code status.lastJob.progress}.
 *
 * <p>Why HTTP rather than reading pod logs: the sync pod then needs no Kubernetes API access, the
 * operator needs no {@code pods/log} permission, and the same request works from a pod on a cluster
 * and from local mode's in-process runner (whose "pods" have no log stream in the API). The token
 * is per attempt, random, kept in the store; it is not a secret of any other system, but it is
 * never logged.
 */
public final class ProgressEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressEndpoint.class);
    private static final String PATH = "/progress/";
    private static final int MAX_BODY = 16 * 1024;

    private final HttpServer server;
    private final Store store;
    private final Clock clock;
    private final String baseUrl;
    private volatile Consumer<JobRecord> onProgress = job -> {};

    private ProgressEndpoint(HttpServer server, Store store, Clock clock, String baseUrl) {
        this.server = server;
        this.store = store;
        this.clock = clock;
        this.baseUrl = baseUrl;
    }

    /**
     * Binds {@code listen} (host:port) and starts serving.
     *
     * @param advertisedUrl the base URL sync pods use, or null for the bound address
     */
    public static ProgressEndpoint start(
            String listen, String advertisedUrl, Store store, Clock clock) throws IOException {
        int colon = listen.lastIndexOf(':');
        String host = colon <= 0 ? "0.0.0.0" : listen.substring(0, colon);
        int port = Integer.parseInt(listen.substring(colon + 1));
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        String base =
                advertisedUrl != null
                        ? advertisedUrl.replaceAll("/+$", "")
                        : "http://"
                                + server.getAddress().getAddress().getHostAddress()
                                + ":"
                                + server.getAddress().getPort();
        ProgressEndpoint endpoint = new ProgressEndpoint(server, store, clock, base);
        server.createContext(PATH, endpoint::handle);
        server.setExecutor(
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "millrace-progress-endpoint");
                            t.setDaemon(true);
                            return t;
                        }));
        server.start();
        LOG.info("Sync progress endpoint listening on {}, advertised as {}", listen, base);
        return endpoint;
    }

    /** The URL one attempt reports to. */
    public String urlFor(long jobId, int attempt) {
        return baseUrl + PATH + jobId + "/" + attempt;
    }

    /** Called with the job after each accepted report; the reconciler wakes its Connection. */
    public void onProgress(Consumer<JobRecord> listener) {
        this.onProgress = listener;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String[] parts = exchange.getRequestURI().getPath().substring(PATH.length()).split("/");
            long jobId;
            int attempt;
            try {
                jobId = Long.parseLong(parts[0]);
                attempt = Integer.parseInt(parts[1]);
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization == null || !authorization.startsWith("Bearer ")) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY);
            JsonNode report;
            try {
                report = Serialization.jsonMapper().readTree(body);
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            Instant at = clock.instant();
            boolean accepted =
                    store.jobAttempts()
                            .reportProgress(
                                    jobId,
                                    attempt,
                                    authorization.substring("Bearer ".length()),
                                    report.path("stream").isTextual()
                                            ? report.path("stream").asText()
                                            : null,
                                    Math.max(0, report.path("rows").asLong(0)),
                                    Math.max(0, report.path("bytes").asLong(0)),
                                    at);
            // 403 for a wrong token and for an attempt that has ended alike: the reporter drops
            // the report either way, and the answer tells a caller nothing about other attempts.
            exchange.sendResponseHeaders(accepted ? 204 : 403, -1);
            if (accepted) {
                store.findJob(jobId).ifPresent(job -> onProgress.accept(job));
            }
        } catch (RuntimeException e) {
            LOG.warn("Progress report failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
