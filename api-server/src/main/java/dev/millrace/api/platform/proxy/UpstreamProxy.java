package dev.millrace.api.platform.proxy;

import dev.millrace.api.platform.PlatformApiException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Forwards a request to an upstream web app (Metabase, dbt docs) and streams the answer back:
 * method, path below the prefix, query, body and end-to-end headers go through; hop-by-hop headers,
 * {@code Host} and the caller's {@code Authorization} (a Millrace credential, not the upstream's)
 * do not. An upstream that is not configured or does not answer is a 502 in the family's {@code
 * {"detail"}} format.
 */
public final class UpstreamProxy {
    private static final Set<String> NOT_FORWARDED =
            Set.of(
                    "connection",
                    "keep-alive",
                    "proxy-authenticate",
                    "proxy-authorization",
                    "proxy-connection",
                    "te",
                    "trailer",
                    "transfer-encoding",
                    "upgrade",
                    "host",
                    "content-length",
                    "expect",
                    "authorization",
                    "http2-settings");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final URI upstream;
    private final HttpClient http;

    /**
     * @param name how errors name the upstream, e.g. "Metabase"
     * @param upstream the base URI, or null when none is configured
     */
    public UpstreamProxy(String name, URI upstream) {
        this.name = name;
        this.upstream = upstream;
        this.http =
                HttpClient.newBuilder()
                        .connectTimeout(CONNECT_TIMEOUT)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    public boolean configured() {
        return upstream != null;
    }

    /** Whether the upstream answers at all (any HTTP status), within two seconds. */
    public boolean reachable() {
        if (upstream == null) {
            return false;
        }
        try {
            http.send(
                    HttpRequest.newBuilder(upstream)
                            .timeout(Duration.ofSeconds(2))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Forwards the request to the upstream base plus the request's path without {@code prefix},
     * still percent-encoded as the client sent it.
     */
    public void forward(Context ctx, String prefix) {
        if (upstream == null) {
            throw new PlatformApiException(502, name + " is not configured");
        }
        String rawPath = ctx.req().getRequestURI();
        String upstreamPath = rawPath.substring(Math.min(prefix.length(), rawPath.length()));
        if (upstreamPath.isEmpty()) {
            upstreamPath = "/";
        }
        String base = upstream.toString().replaceAll("/+$", "");
        String query = ctx.queryString();
        URI target;
        try {
            target = URI.create(base + upstreamPath + (query == null ? "" : "?" + query));
        } catch (IllegalArgumentException e) {
            throw PlatformApiException.badRequest("Invalid proxied path");
        }
        String method = ctx.method().name();
        boolean hasBody = ctx.contentLength() > 0 || ctx.header("Transfer-Encoding") != null;
        HttpRequest.BodyPublisher body =
                hasBody
                        ? HttpRequest.BodyPublishers.ofInputStream(ctx::bodyInputStream)
                        : HttpRequest.BodyPublishers.noBody();
        HttpRequest.Builder request =
                HttpRequest.newBuilder(target).timeout(RESPONSE_TIMEOUT).method(method, body);
        for (String header :
                ctx.req().getHeaderNames() == null
                        ? List.<String>of()
                        : java.util.Collections.list(ctx.req().getHeaderNames())) {
            if (forwarded(header)) {
                for (String value : java.util.Collections.list(ctx.req().getHeaders(header))) {
                    request.header(header, value);
                }
            }
        }
        request.header("X-Forwarded-Host", String.valueOf(ctx.host()));
        request.header("X-Forwarded-Proto", ctx.scheme());
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new PlatformApiException(502, name + " did not answer in time");
        } catch (IOException e) {
            throw new PlatformApiException(
                    502, name + " is unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PlatformApiException(502, name + " request was interrupted");
        }
        ctx.status(response.statusCode());
        response.headers()
                .map()
                .forEach(
                        (header, values) -> {
                            if (forwarded(header) && !header.startsWith(":")) {
                                values.forEach(v -> ctx.res().addHeader(header, v));
                            }
                        });
        ctx.result(response.body());
    }

    private static boolean forwarded(String header) {
        return !NOT_FORWARDED.contains(header.toLowerCase(Locale.ROOT));
    }
}
