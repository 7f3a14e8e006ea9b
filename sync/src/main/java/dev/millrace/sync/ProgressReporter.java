package dev.millrace.sync;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends a running sync's {@link SyncProgress} to the operator on a timer: an HTTP POST of {@code
 * {"stream", "rows", "bytes", "at"}} to {@value #URL_ENV} with the attempt's token as a bearer
 * token. The Job's pod needs no Kubernetes API access for this, and the same request works from a
 * pod and from local mode's in-process runner. A report that fails is dropped (the next one carries
 * the newer counts); the sync never waits for, or fails because of, its reports.
 */
public final class ProgressReporter implements AutoCloseable {

    public static final String URL_ENV = "MILLRACE_PROGRESS_URL";
    public static final String TOKEN_ENV = "MILLRACE_PROGRESS_TOKEN";
    public static final String INTERVAL_ENV = "MILLRACE_PROGRESS_INTERVAL_MS";
    static final long DEFAULT_INTERVAL_MS = 2000;

    private final URI url;
    private final String token;
    private final SyncProgress progress;
    private final SyncLog log;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private boolean warned;

    private ProgressReporter(URI url, String token, SyncProgress progress, SyncLog log) {
        this.url = url;
        this.token = token;
        this.progress = progress;
        this.log = log;
        if (url == null) {
            this.http = null;
            this.timer = null;
            return;
        }
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "millrace-sync-progress");
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /** Starts reporting if the environment names where to; otherwise reports nothing. */
    public static ProgressReporter start(
            Map<String, String> env, SyncProgress progress, SyncLog log) {
        String url = env.get(URL_ENV);
        String token = env.get(TOKEN_ENV);
        if (url == null || url.isBlank() || token == null || token.isBlank()) {
            return new ProgressReporter(null, null, progress, log);
        }
        long interval = DEFAULT_INTERVAL_MS;
        try {
            interval = Math.max(100, Long.parseLong(env.getOrDefault(INTERVAL_ENV, "")));
        } catch (NumberFormatException useDefault) {
            // unset or not a number: the default
        }
        ProgressReporter reporter = new ProgressReporter(URI.create(url), token, progress, log);
        reporter.timer.scheduleWithFixedDelay(
                reporter::report, interval, interval, TimeUnit.MILLISECONDS);
        return reporter;
    }

    private void report() {
        SyncProgress.Snapshot now = progress.snapshot();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("stream", now.stream());
        body.put("rows", now.rows());
        body.put("bytes", now.bytes());
        body.put("at", Instant.now().toString());
        HttpRequest request =
                HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(3))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build();
        try {
            HttpResponse<Void> response =
                    http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() >= 300) {
                warnOnce("the operator answered " + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            warnOnce(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    // Once: a sync that cannot reach the operator should not fill its log with the same line.
    // The URL is logged, the token never.
    private void warnOnce(String why) {
        if (!warned) {
            warned = true;
            log.info("progress report to " + url + " failed (" + why + "); the sync goes on");
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
