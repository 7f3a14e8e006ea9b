package dev.millrace.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.millrace.api.ApiServer;
import dev.millrace.api.ApiTestCluster;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    private ApiTestCluster cluster;
    private HttpServer upstream;
    private ApiServer proxying;

    /** Answers every request with what it received, as JSON. */
    @BeforeEach
    void start() throws Exception {
        cluster = new ApiTestCluster(tmp);
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext(
                "/",
                exchange -> {
                    Map<String, Object> echo = new LinkedHashMap<>();
                    echo.put("method", exchange.getRequestMethod());
                    echo.put("uri", exchange.getRequestURI().toString());
                    echo.put(
                            "body",
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8));
                    Map<String, String> headers = new LinkedHashMap<>();
                    exchange.getRequestHeaders()
                            .forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
                    echo.put("headers", headers);
                    byte[] bytes = JSON.writeValueAsBytes(echo);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.getResponseHeaders().add("X-Upstream", "yes");
                    exchange.getResponseHeaders().add("Keep-Alive", "timeout=5");
                    int status =
                            exchange.getRequestURI().getPath().endsWith("/missing") ? 404 : 200;
                    exchange.sendResponseHeaders(status, bytes.length);
                    exchange.getResponseBody().write(bytes);
                    exchange.close();
                });
        upstream.start();
        URI base = URI.create("http://127.0.0.1:" + upstream.getAddress().getPort());
        proxying =
                PlatformFixtures.serverWith(
                        cluster,
                        tmp,
                        s ->
                                PlatformFixtures.with(
                                        s,
                                        base,
                                        base,
                                        s.fileWatchDebounce(),
                                        s.uploadLimitBytes()));
    }

    @AfterEach
    void stop() {
        if (proxying != null) {
            proxying.close();
        }
        if (upstream != null) {
            upstream.stop(0);
        }
        cluster.close();
    }

    private HttpResponse<String> call(
            ApiServer server, String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return PlatformFixtures.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metabaseRequestsGoUpstreamWithMethodPathQueryBodyAndEndToEndHeaders() throws Exception {
        HttpResponse<String> response =
                call(
                        proxying,
                        "POST",
                        "/metabase/api/session?remember=true",
                        "{\"username\":\"a\"}",
                        Map.of(
                                "Content-Type", "application/json",
                                "X-Metabase-Session", "abc",
                                "Authorization", "Bearer millrace-token"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Upstream")).contains("yes");
        assertThat(response.headers().firstValue("Keep-Alive")).isEmpty();
        JsonNode echo = JSON.readTree(response.body());
        assertThat(echo.path("method").asText()).isEqualTo("POST");
        assertThat(echo.path("uri").asText()).isEqualTo("/api/session?remember=true");
        assertThat(echo.path("body").asText()).isEqualTo("{\"username\":\"a\"}");
        assertThat(echo.path("headers").path("x-metabase-session").asText()).isEqualTo("abc");
        assertThat(echo.path("headers").path("content-type").asText())
                .isEqualTo("application/json");
        assertThat(echo.path("headers").has("authorization")).isFalse();
    }

    @Test
    void dbtDocsManifestAndCatalogComeFromTheDbtDocsUpstream() throws Exception {
        for (var entry :
                Map.of(
                                "/dbt-docs/index.html", "/index.html",
                                "/manifest.json", "/manifest.json",
                                "/catalog.json", "/catalog.json")
                        .entrySet()) {
            HttpResponse<String> response = call(proxying, "GET", entry.getKey(), null, Map.of());
            assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).path("uri").asText())
                    .isEqualTo(entry.getValue());
        }
        assertThat(call(proxying, "GET", "/dbt-docs/missing", null, Map.of()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void statusReportsConfiguredUpstreamsAsHealthy() throws Exception {
        JsonNode services =
                JSON.readTree(call(proxying, "GET", "/api/status", null, Map.of()).body())
                        .path("services");
        assertThat(services.path("metabase").asText()).isEqualTo("healthy");
        assertThat(services.path("dbt_docs").asText()).isEqualTo("healthy");
        JsonNode config =
                JSON.readTree(call(proxying, "GET", "/api/metabase-config", null, Map.of()).body());
        assertThat(config.path("configured").asBoolean()).isTrue();
    }

    @Test
    void anUnconfiguredOrUnreachableUpstreamIsABadGateway() throws Exception {
        HttpResponse<String> unconfigured = cluster.get("/metabase/api/health");
        assertThat(unconfigured.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(unconfigured.body()).path("detail").asText())
                .isEqualTo("Metabase is not configured");
        assertThat(cluster.get("/manifest.json").statusCode()).isEqualTo(502);

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
        try (ApiServer broken =
                PlatformFixtures.serverWith(
                        cluster,
                        tmp,
                        s ->
                                PlatformFixtures.with(
                                        s,
                                        nowhere,
                                        nowhere,
                                        s.fileWatchDebounce(),
                                        s.uploadLimitBytes()))) {
            HttpResponse<String> response =
                    call(broken, "GET", "/dbt-docs/index.html", null, Map.of());
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(JSON.readTree(response.body()).path("detail").asText())
                    .startsWith("dbt docs is unreachable");
        }
    }
}
