package dev.millrace.sync.source.rest;

import dev.millrace.sync.SyncEnvironment;
import dev.millrace.sync.SyncLog;
import dev.millrace.sync.plan.RestPlan;
import dev.millrace.sync.plan.RestPlan.RestAuthPlan;
import dev.millrace.sync.result.SyncFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * GET requests to one API with its credential, inside its request budget, retrying what a retry can
 * fix: {@code 429} (after {@code Retry-After} when the server sends it), {@code 5xx} and timeouts,
 * each with exponential backoff and jitter, a bounded number of times.
 *
 * <p>The credential is read from the environment variable the plan names and never leaves this
 * class: URLs in log lines and errors have an API key parameter masked, and error bodies have the
 * credential replaced.
 */
public final class RestHttp implements AutoCloseable {

    static final String MASK = "****";

    /** Retry-After values beyond this are treated as this; a Job should fail rather than idle. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final HttpClient client;
    private final RestPlan plan;
    private final SyncLog log;
    private final String secret;
    private final String authorization;
    private final long minIntervalNanos;
    private final Duration firstBackoff;
    private long nextRequestNanos = System.nanoTime();
    private long requests;

    RestHttp(RestPlan plan, SyncEnvironment env, SyncLog log, Duration firstBackoff) {
        this.plan = plan;
        this.log = log;
        this.firstBackoff = firstBackoff;
        this.client =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(plan.timeoutSeconds()))
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        // HTTP/2 is negotiated over TLS; on plain http the client's h2c
                        // upgrade offer is a wasted round of headers most servers ignore.
                        .version(
                                plan.baseUrl() != null && plan.baseUrl().startsWith("http:")
                                        ? HttpClient.Version.HTTP_1_1
                                        : HttpClient.Version.HTTP_2)
                        .build();
        RestAuthPlan auth = plan.auth();
        String type = auth == null || auth.type() == null ? RestAuthPlan.NONE : auth.type();
        if (type.equals(RestAuthPlan.NONE)) {
            secret = null;
        } else {
            secret = env.variable(auth.secretEnv());
            if (secret == null || secret.isEmpty()) {
                throw new SyncFailure(
                        "environment variable "
                                + auth.secretEnv()
                                + " (source.rest.auth.secretEnv) is not set; the Job gets it from"
                                + " the Source's secretRef");
            }
        }
        authorization =
                switch (type) {
                    case RestAuthPlan.BEARER -> "Bearer " + secret;
                    case RestAuthPlan.BASIC ->
                            "Basic "
                                    + Base64.getEncoder()
                                            .encodeToString(
                                                    (auth.username() + ":" + secret)
                                                            .getBytes(StandardCharsets.UTF_8));
                    default -> null;
                };
        Double perSecond = plan.requestsPerSecond();
        minIntervalNanos = perSecond == null ? 0 : (long) (1_000_000_000L / perSecond);
    }

    /** Opens a client with the production backoff (one second, doubling). */
    public static RestHttp open(RestPlan plan, SyncEnvironment env, SyncLog log) {
        return new RestHttp(plan, env, log, Duration.ofSeconds(1));
    }

    /** Requests sent so far, retries included. */
    public long requests() {
        return requests;
    }

    /** The URI with the API key parameter added, when the key travels in the query. */
    URI authorized(URI uri) {
        RestAuthPlan auth = plan.auth();
        if (secret == null
                || !RestAuthPlan.API_KEY.equals(auth.type())
                || auth.queryParam() == null) {
            return uri;
        }
        String param = URLEncoder.encode(auth.queryParam(), StandardCharsets.UTF_8) + "=";
        String query = uri.getRawQuery();
        if (query != null && ("&" + query).contains("&" + param)) {
            return uri;
        }
        String added = param + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        String text = uri.toString();
        int fragment = text.indexOf('#');
        String base = fragment < 0 ? text : text.substring(0, fragment);
        return URI.create(base + (query == null ? "?" : "&") + added);
    }

    /** The URI as logs may show it: the credential masked. */
    String shown(URI uri) {
        return masked(uri.toString());
    }

    /** Text with the credential (raw or URL-encoded) replaced by a mask. */
    String masked(String text) {
        if (secret == null || text == null) {
            return text;
        }
        return text.replace(secret, MASK)
                .replace(URLEncoder.encode(secret, StandardCharsets.UTF_8), MASK);
    }

    /**
     * Sends a GET and returns a successful (2xx) response; the caller closes its body.
     *
     * @throws SyncFailure for an answer a retry cannot fix, or when retries run out
     */
    public HttpResponse<InputStream> get(URI target) {
        URI uri = authorized(target);
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(uri)
                        .GET()
                        .timeout(Duration.ofSeconds(plan.timeoutSeconds()))
                        .header("Accept", "application/json")
                        .header("User-Agent", "millrace-sync");
        plan.headers().forEach(builder::header);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        } else if (secret != null && plan.auth().header() != null) {
            builder.header(plan.auth().header(), secret);
        }
        HttpRequest request = builder.build();
        for (int attempt = 0; ; attempt++) {
            awaitBudget();
            String retryReason;
            Duration retryAfter = null;
            try {
                requests++;
                HttpResponse<InputStream> response =
                        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return response;
                }
                String body = readSome(response.body());
                if (status == 429) {
                    retryReason = "429 Too Many Requests";
                    retryAfter = retryAfter(response);
                } else if (status >= 500) {
                    retryReason = status + " " + body;
                    // A 503 may say when the service is back (RFC 9110 §10.2.3).
                    retryAfter = retryAfter(response);
                } else {
                    throw new SyncFailure(
                            "GET " + shown(uri) + " answered " + status + ": " + masked(body));
                }
            } catch (HttpTimeoutException e) {
                retryReason = "timed out after " + plan.timeoutSeconds() + " s";
            } catch (IOException e) {
                retryReason = e.getClass().getSimpleName() + ": " + masked(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            }
            if (attempt >= plan.maxRetries()) {
                throw new SyncFailure(
                        "GET "
                                + shown(uri)
                                + " failed after "
                                + (attempt + 1)
                                + " attempt(s): "
                                + masked(retryReason));
            }
            Duration wait = retryAfter != null ? retryAfter : backoff(attempt);
            log.info(
                    String.format(
                            "GET %s: %s; retry %d of %d in %d ms",
                            shown(uri),
                            masked(retryReason),
                            attempt + 1,
                            plan.maxRetries(),
                            wait.toMillis()));
            pause(wait);
        }
    }

    /** Exponential backoff with full jitter: a random wait up to twice the previous ceiling. */
    Duration backoff(int attempt) {
        long ceiling = firstBackoff.toMillis() << Math.min(attempt, 20);
        ceiling = Math.min(ceiling, MAX_BACKOFF.toMillis());
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse(null);
        if (value == null) {
            return null;
        }
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at =
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    /** Spaces request starts so that the source's requests-per-second budget holds. */
    private void awaitBudget() {
        if (minIntervalNanos == 0) {
            return;
        }
        long now = System.nanoTime();
        long wait = nextRequestNanos - now;
        if (wait > 0) {
            pause(Duration.ofNanos(wait));
        }
        nextRequestNanos = Math.max(now, nextRequestNanos) + minIntervalNanos;
    }

    // Waiting out a rate limit or a backoff is the point here, not a stand-in for a condition.
    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis(), (int) (wait.toNanosPart() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
    }

    private static String readSome(InputStream body) {
        try (body) {
            byte[] bytes = body.readNBytes(300);
            return new String(bytes, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        } catch (IOException e) {
            return "(body unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        // java.net.http.HttpClient is AutoCloseable only from Java 21; on 17 its threads end
        // when it is unreachable.
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.info("closing the HTTP client failed: " + e.getMessage());
            }
        }
    }
}
