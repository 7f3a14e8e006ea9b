package dev.millrace.api.airbyte;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionSpec;
import dev.millrace.crds.connection.ConnectionStream;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.crds.connection.ScheduleType;
import dev.millrace.crds.connection.SyncMode;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.destination.DestinationSpec;
import dev.millrace.crds.destination.DestinationType;
import dev.millrace.crds.source.FileSource;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceSpec;
import dev.millrace.crds.source.SourceType;
import dev.millrace.store.job.JobQuery;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The public family over a shared {@link ApiTestCluster}: requests with every method, a fresh
 * namespace (workspace) per test, objects made directly in the mock API, and a snapshot of
 * everything a rejected request must leave untouched.
 */
final class PublicApiFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BASE = "/api/public/v1";
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    final ApiTestCluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();

    PublicApiFixture(ApiTestCluster cluster) {
        this.cluster = cluster;
    }

    HttpResponse<String> get(String path) throws Exception {
        return cluster.get(BASE + path);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return cluster.post(BASE + path, body);
    }

    HttpResponse<String> patch(String path, String body) throws Exception {
        return send("PATCH", path, body);
    }

    HttpResponse<String> put(String path, String body) throws Exception {
        return send("PUT", path, body);
    }

    HttpResponse<String> delete(String path) throws Exception {
        return send("DELETE", path, null);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(cluster.server.baseUrl() + BASE + path))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** Asserts the status and the family's error body; returns the message. */
    static String assertError(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).as(response.body()).isNotBlank();
        assertThat(body.path("message").asText()).as(response.body()).isNotBlank();
        return body.path("message").asText();
    }

    /** A new namespace, i.e. a new workspace. */
    Namespace workspace() {
        return cluster.cached(
                cluster.client
                        .namespaces()
                        .resource(
                                new NamespaceBuilder()
                                        .withNewMetadata()
                                        .withName(
                                                String.format(
                                                        "ws-%03d", NAMESPACES.incrementAndGet()))
                                        .endMetadata()
                                        .build())
                        .create());
    }

    static String id(Namespace namespace) {
        return namespace.getMetadata().getUid();
    }

    static String ns(Namespace namespace) {
        return namespace.getMetadata().getName();
    }

    Source source(Namespace ns, String name, String displayName) {
        Source s = new Source();
        s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns(ns)).build());
        s.setSpec(new SourceSpec());
        s.getSpec().displayName = displayName;
        s.getSpec().type = SourceType.CSV;
        s.getSpec().files = new FileSource();
        s.getSpec().files.directory = name;
        return cluster.cached(cluster.client.resource(s).create());
    }

    Destination destination(Namespace ns, String name) {
        Destination d = new Destination();
        d.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns(ns)).build());
        d.setSpec(new DestinationSpec());
        d.getSpec().type = DestinationType.DUCKDB;
        return cluster.cached(cluster.client.resource(d).create());
    }

    Connection connection(Namespace ns, String name, String source, String destination) {
        Connection c = new Connection();
        c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns(ns)).build());
        c.setSpec(new ConnectionSpec());
        c.getSpec().sourceRef = ObjectRef.to(source);
        c.getSpec().destinationRef = ObjectRef.to(destination);
        c.getSpec().schedule = new Schedule();
        c.getSpec().schedule.scheduleType = ScheduleType.BASIC;
        c.getSpec().schedule.basicTiming = "every_24_hours";
        ConnectionStream users = new ConnectionStream();
        users.name = "users";
        users.syncMode = SyncMode.FULL_REFRESH_OVERWRITE;
        users.cursorField = "updated_at";
        users.primaryKey = List.of("id");
        c.getSpec().streams = List.of(users);
        return cluster.cached(cluster.client.resource(c).create());
    }

    /** A connection with its source and destination, in a new workspace. */
    Connection connectionWithEnds(Namespace ns) {
        source(ns, "orders", "Orders");
        destination(ns, "warehouse");
        return connection(ns, "orders-to-warehouse", "orders", "warehouse");
    }

    Connection reread(Connection c) {
        return cluster.client.resource(c).get();
    }

    /**
     * Every Millrace object of the namespace as JSON (with resourceVersion and annotations) and the
     * store's job count: what a rejected request must not change.
     */
    List<String> snapshot(Namespace ns) {
        List<String> state = new ArrayList<>();
        Stream.of(Source.class, Destination.class, Connection.class)
                .flatMap(
                        type ->
                                cluster
                                        .client
                                        .resources(type)
                                        .inNamespace(ns(ns))
                                        .list()
                                        .getItems()
                                        .stream()
                                        .map(HasMetadata.class::cast))
                .forEach(
                        r ->
                                state.add(
                                        r.getKind()
                                                + " "
                                                + r.getMetadata().getName()
                                                + " "
                                                + r.getMetadata().getResourceVersion()
                                                + " "
                                                + r.getMetadata().getAnnotations()));
        state.add("jobs " + cluster.store.countJobs(JobQuery.all()));
        return state;
    }
}
