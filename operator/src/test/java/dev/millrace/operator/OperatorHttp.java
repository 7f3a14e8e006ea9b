package dev.millrace.operator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain GETs against an operator's metrics and health endpoint. */
final class OperatorHttp {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OperatorHttp() {}

    static HttpResponse<String> get(MillraceOperator operator, String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://" + operator.operationsAddress() + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of one Prometheus series, e.g. {@code millrace_sync_rows_total}, or null. */
    static Double sample(String scrape, String series) {
        for (String line : scrape.split("\\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return null;
    }
}
