package dev.millrace.operator.connector;

import dev.millrace.crds.connector.ConnectorSpec;
import dev.millrace.crds.connector.ConnectorSpec.AuthType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * A Connector's connection test: connect and {@code SELECT 1} for a database, a GET of the URL for
 * http (2xx and 3xx mean reachable). The whole test runs under one deadline; the drivers get the
 * same limit as their own timeouts so an abandoned attempt ends soon after.
 */
final class ConnectionCheck {

    /** What a test found; {@code message} and {@code error} hold no credential. */
    record Outcome(boolean success, String reason, String message, String error, long durationMs) {}

    private final ExecutorService executor;
    private final Duration timeout;
    private final Path fileRoot;

    ConnectionCheck(ExecutorService executor, Duration timeout, Path fileRoot) {
        this.executor = executor;
        this.timeout = timeout;
        this.fileRoot = fileRoot;
    }

    Outcome run(ConnectorSpec spec, Credentials credentials) {
        long started = System.nanoTime();
        try {
            String message =
                    within(
                            timeout,
                            spec.type == ConnectorSpec.ConnectorType.HTTP
                                    ? () -> http(spec, credentials)
                                    : () -> jdbc(spec, credentials));
            return new Outcome(true, "Connected", message, null, elapsed(started));
        } catch (ConnectorProblem p) {
            return new Outcome(
                    false,
                    p.reason(),
                    "connection test failed",
                    credentials.scrub(p.getMessage()),
                    elapsed(started));
        }
    }

    private String jdbc(ConnectorSpec spec, Credentials credentials) throws ConnectorProblem {
        JdbcEndpoint endpoint = JdbcEndpoint.of(spec, credentials, fileRoot, timeout, timeout);
        try (Connection connection = endpoint.open();
                Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            try (ResultSet one = statement.executeQuery("SELECT 1")) {
                one.next();
            }
            DatabaseMetaData meta = connection.getMetaData();
            return "connected to "
                    + meta.getDatabaseProductName()
                    + " "
                    + meta.getDatabaseProductVersion();
        } catch (SQLException e) {
            throw new ConnectorProblem("ConnectionFailed", messageOf(e));
        }
    }

    private String http(ConnectorSpec spec, Credentials credentials) throws ConnectorProblem {
        HttpClient client =
                HttpClient.newBuilder()
                        .connectTimeout(timeout)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(spec.url)).timeout(timeout).GET();
        String secret = credentials.secret();
        AuthType auth = spec.authType == null ? AuthType.NONE : spec.authType;
        switch (auth) {
            case BASIC -> {
                String pair = (spec.username == null ? "" : spec.username) + ":" + secret;
                request.header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            }
            case BEARER -> request.header("Authorization", "Bearer " + secret);
            case API_KEY -> request.header(apiKeyHeader(spec), secret);
            case NONE -> {}
        }
        try {
            HttpResponse<Void> response =
                    client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            int code = response.statusCode();
            if (code >= 200 && code < 400) {
                return "GET " + spec.url + " answered HTTP " + code;
            }
            throw new ConnectorProblem("HttpError", "GET " + spec.url + " answered HTTP " + code);
        } catch (java.io.IOException e) {
            throw new ConnectorProblem(
                    "ConnectionFailed", "GET " + spec.url + " failed: " + messageOf(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorProblem("Interrupted", "the connection test was interrupted");
        }
    }

    /** The header an api_key connector sends its key in: option apiKeyHeader, else X-API-Key. */
    static String apiKeyHeader(ConnectorSpec spec) {
        return spec.options == null
                ? "X-API-Key"
                : spec.options.getOrDefault("apiKeyHeader", "X-API-Key");
    }

    /**
     * Runs {@code work} on the executor and gives up after {@code limit}; the abandoned attempt is
     * interrupted and ends at the latest when its driver's own timeout fires.
     */
    <T> T within(Duration limit, Callable<T> work) throws ConnectorProblem {
        Future<T> future = executor.submit(work);
        try {
            return future.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ConnectorProblem(
                    "Timeout", "no answer within " + limit.toMillis() / 1000.0 + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConnectorProblem p) {
                throw p;
            }
            throw new ConnectorProblem("Failed", messageOf(e.getCause()));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ConnectorProblem("Interrupted", "interrupted while waiting for the database");
        }
    }

    static String messageOf(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            Throwable cause = e.getCause();
            return cause != null && cause != e ? messageOf(cause) : e.getClass().getSimpleName();
        }
        return message;
    }

    private static long elapsed(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
