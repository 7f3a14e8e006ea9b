package dev.millrace.api;

import dev.millrace.api.auth.AuthSettings;
import dev.millrace.store.Store;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * The API server on a real loopback port, over the Fabric8 mock Kubernetes API (CRUD mode, with the
 * Millrace CRDs) and a real DuckDB store.
 */
public final class ApiTestCluster implements AutoCloseable {
    public static final String NS = "default";

    public final KubernetesClient client;
    public final Store store;
    public final ApiServer server;
    private final KubernetesMockServer kube;
    private final HttpClient http = HttpClient.newHttpClient();

    /** Bearer token sent with {@link #get} and {@link #post}, or null for none. */
    private volatile String bearerToken;

    public ApiTestCluster(Path tmp) throws Exception {
        this(tmp, AuthSettings.none(), client -> {});
    }

    /**
     * A cluster whose API server runs with {@code auth}; {@code beforeStart} seeds the Kubernetes
     * API (e.g. the token Secret) before the server starts.
     */
    public ApiTestCluster(Path tmp, AuthSettings auth, Consumer<KubernetesClient> beforeStart)
            throws Exception {
        this(tmp, auth, beforeStart, TEST_CONNECTOR_API);
    }

    /**
     * The connector family's limits in tests: a budget no test (the bad-input sweep sends thousands
     * of requests) runs into, and a short test wait, since no operator answers here.
     */
    public static final ApiSettings.ConnectorApiSettings TEST_CONNECTOR_API =
            new ApiSettings.ConnectorApiSettings(1_000_000, java.time.Duration.ofSeconds(2));

    /** A cluster whose connector family runs with {@code connectorApi}. */
    public ApiTestCluster(
            Path tmp,
            AuthSettings auth,
            Consumer<KubernetesClient> beforeStart,
            ApiSettings.ConnectorApiSettings connectorApi)
            throws Exception {
        kube =
                new KubernetesMockServer(
                        new Context(),
                        new MockWebServer(),
                        new HashMap<>(),
                        new KubernetesCrudDispatcher(),
                        false);
        kube.init(InetAddress.getLoopbackAddress(), 0);
        client = kube.createClient();
        for (String plural :
                List.of(
                        "connectors",
                        "sources",
                        "destinations",
                        "connections",
                        "pipelinetypes",
                        "pipelines",
                        "anomalyrules",
                        "models")) {
            try (InputStream in =
                    getClass()
                            .getClassLoader()
                            .getResourceAsStream(
                                    "META-INF/fabric8/" + plural + ".millrace.dev-v1.yml")) {
                client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .resource(Serialization.unmarshal(in, CustomResourceDefinition.class))
                        .create();
            }
        }
        client.namespaces()
                .resource(
                        new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        beforeStart.accept(client);
        store = Store.openDuckDb(tmp.resolve("store.duckdb"));
        server =
                new ApiServer(
                                ApiSettings.of(
                                                "127.0.0.1",
                                                0,
                                                NS,
                                                "test",
                                                tmp.resolve("files"),
                                                tmp)
                                        .withAuth(auth)
                                        .withConnectorApi(connectorApi),
                                client,
                                store,
                                Clock.systemUTC())
                        .start();
    }

    /**
     * {@code written} (what a create or update through {@link #client} returned), once the API
     * server's cache holds it: the API reads lists from that cache, which a watch event updates a
     * moment after the write.
     */
    public <T extends io.fabric8.kubernetes.api.model.HasMetadata> T cached(T written) {
        return server.resources().awaitWritten(written);
    }

    /** Sends {@code token} as {@code Authorization: Bearer} with {@link #get} and {@link #post}. */
    public ApiTestCluster withBearerToken(String token) {
        this.bearerToken = token;
        return this;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path));
        String token = bearerToken;
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(
                                json == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
        store.close();
        client.close();
        kube.destroy();
    }
}
