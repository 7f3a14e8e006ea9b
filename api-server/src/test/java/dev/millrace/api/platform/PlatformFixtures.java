package dev.millrace.api.platform;

import dev.millrace.api.ApiServer;
import dev.millrace.api.ApiSettings;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionSpec;
import dev.millrace.crds.source.FileSource;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceSpec;
import dev.millrace.crds.source.SourceStatus;
import dev.millrace.crds.source.SourceType;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** Resources and requests the platform family's tests share. */
final class PlatformFixtures {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private PlatformFixtures() {}

    static Source csvSource(ApiTestCluster cluster, String name, String directory) {
        Source s = new Source();
        s.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(ApiTestCluster.NS).build());
        s.setSpec(new SourceSpec());
        s.getSpec().type = SourceType.CSV;
        s.getSpec().files = new FileSource();
        s.getSpec().files.directory = directory;
        return cluster.cached(cluster.client.resource(s).create());
    }

    static Source withStatus(ApiTestCluster cluster, Source source, SourceStatus status) {
        source.setStatus(status);
        return cluster.cached(cluster.client.resource(source).updateStatus());
    }

    static Connection connection(ApiTestCluster cluster, String name, String source) {
        Connection c = new Connection();
        c.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(ApiTestCluster.NS).build());
        c.setSpec(new ConnectionSpec());
        c.getSpec().sourceRef = ObjectRef.to(source);
        c.getSpec().destinationRef = ObjectRef.to("warehouse");
        return cluster.cached(cluster.client.resource(c).create());
    }

    static Source fetchSource(ApiTestCluster cluster, String name) {
        return cluster.client
                .resources(Source.class)
                .inNamespace(ApiTestCluster.NS)
                .withName(name)
                .get();
    }

    static Connection fetchConnection(ApiTestCluster cluster, String name) {
        return cluster.client
                .resources(Connection.class)
                .inNamespace(ApiTestCluster.NS)
                .withName(name)
                .get();
    }

    /**
     * A second API server over the same mock cluster and store, with settings the shared cluster
     * does not set (proxies, debounce, upload limit). Its background parts stop with the cluster's
     * client.
     */
    static ApiServer serverWith(
            ApiTestCluster cluster, Path tmp, UnaryOperator<ApiSettings> customise) {
        ApiSettings base =
                ApiSettings.of(
                        "127.0.0.1", 0, ApiTestCluster.NS, "test", tmp.resolve("files"), tmp);
        return new ApiServer(
                        customise.apply(base), cluster.client, cluster.store, Clock.systemUTC())
                .start();
    }

    static ApiSettings with(
            ApiSettings s, URI metabase, URI dbtDocs, Duration debounce, long uploadLimit) {
        return new ApiSettings(
                s.host(),
                s.port(),
                s.namespace(),
                s.version(),
                s.dataRoot(),
                s.warehouseRoot(),
                metabase,
                dbtDocs,
                debounce,
                uploadLimit);
    }

    /** POSTs one file as multipart/form-data in the given field. */
    static HttpResponse<String> upload(
            String baseUrl, String path, String field, String fileName, String content)
            throws Exception {
        String boundary = "millrace-test-boundary";
        String body =
                "--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\""
                        + field
                        + "\"; filename=\""
                        + fileName
                        + "\"\r\nContent-Type: text/csv\r\n\r\n"
                        + content
                        + "\r\n--"
                        + boundary
                        + "--\r\n";
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> send(String baseUrl, String method, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static SourceStatus synced(long rows) {
        SourceStatus status = new SourceStatus();
        status.status = SourceStatus.Phase.SYNCED;
        status.lastSync = "2026-11-20T08:00:00Z";
        status.rowCount = rows;
        status.tables = List.of(new SourceStatus.SourceTable("orders", "raw_orders", rows));
        return status;
    }
}
