package dev.millrace.api.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.common.MillraceApi;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.ConnectionSpec;
import dev.millrace.crds.source.FileSource;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceSpec;
import dev.millrace.crds.source.SourceStatus;
import dev.millrace.crds.source.SourceType;
import dev.millrace.store.log.LogEntry;
import dev.millrace.store.log.LogLevel;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourcesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    private ApiTestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new ApiTestCluster(tmp);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private Source source(String name, SourceStatus status) {
        Source s = new Source();
        s.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(ApiTestCluster.NS).build());
        s.setSpec(new SourceSpec());
        s.getSpec().type = SourceType.CSV;
        s.getSpec().files = new FileSource();
        s.getSpec().files.directory = name;
        Source created = cluster.client.resource(s).create();
        if (status != null) {
            created.setStatus(status);
            created = cluster.client.resource(created).updateStatus();
        }
        return created;
    }

    private Connection connection(String name, String source) {
        Connection c = new Connection();
        c.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(ApiTestCluster.NS).build());
        c.setSpec(new ConnectionSpec());
        c.getSpec().sourceRef = ObjectRef.to(source);
        c.getSpec().destinationRef = ObjectRef.to("warehouse");
        return cluster.client.resource(c).create();
    }

    private static SourceStatus synced(long rows) {
        SourceStatus status = new SourceStatus();
        status.status = SourceStatus.Phase.SYNCED;
        status.lastSync = "2026-11-20T08:00:00Z";
        status.rowCount = rows;
        status.tables = List.of(new SourceStatus.SourceTable("orders", "raw_orders", rows));
        return status;
    }

    @Test
    void statusReportsAHealthyServiceInTheReferenceShape() throws Exception {
        HttpResponse<String> response = cluster.get("/api/status");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("healthy");
        assertThat(body.path("services").path("api").asText()).isEqualTo("running");
        assertThat(body.path("services").path("duckdb").asText()).isEqualTo("healthy");
        assertThat(body.has("dango_version")).isTrue();
        assertThat(body.path("uptime").asText()).isNotBlank();
    }

    @Test
    void sourcesListShowsStatusRowCountsFreshnessAndTables() throws Exception {
        source("orders", synced(3000));
        source("leads", null);

        HttpResponse<String> response = cluster.get("/api/sources");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode list = JSON.readTree(response.body());
        assertThat(list).hasSize(2);
        JsonNode leads = list.get(0);
        assertThat(leads.path("name").asText()).isEqualTo("leads");
        assertThat(leads.path("status").asText()).isEqualTo("unknown");
        JsonNode orders = list.get(1);
        assertThat(orders.path("name").asText()).isEqualTo("orders");
        assertThat(orders.path("type").asText()).isEqualTo("csv");
        assertThat(orders.path("enabled").asBoolean()).isTrue();
        assertThat(orders.path("status").asText()).isEqualTo("synced");
        assertThat(orders.path("row_count").asLong()).isEqualTo(3000);
        assertThat(orders.path("last_sync").asText()).isEqualTo("2026-11-20T08:00:00Z");
        assertThat(orders.path("freshness").path("last_update").asText())
                .isEqualTo("2026-11-20T08:00:00Z");
        assertThat(orders.path("freshness").path("days_old").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(orders.path("tables").get(0).path("name").asText()).isEqualTo("orders");
        assertThat(orders.path("tables").get(0).path("schema").asText()).isEqualTo("raw_orders");
        assertThat(orders.path("tables").get(0).path("row_count").asLong()).isEqualTo(3000);
    }

    @Test
    void syncRequestsASyncOnEveryConnectionOfTheSource() throws Exception {
        source("orders", synced(10));
        connection("orders-to-warehouse", "orders");
        connection("orders-to-archive", "orders");
        connection("leads-to-warehouse", "leads");

        HttpResponse<String> response =
                cluster.post(
                        "/api/sources/orders/sync",
                        "{\"full_refresh\": true, \"start_date\": \"2024-01-01\", \"end_date\":"
                                + " null}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("message").asText()).isEqualTo("Sync started for orders");
        assertThat(body.path("source_name").asText()).isEqualTo("orders");
        assertThat(Instant.parse(body.path("started_at").asText())).isNotNull();
        for (String name : List.of("orders-to-warehouse", "orders-to-archive")) {
            var annotations =
                    cluster.client
                            .resources(Connection.class)
                            .inNamespace(ApiTestCluster.NS)
                            .withName(name)
                            .get()
                            .getMetadata()
                            .getAnnotations();
            assertThat(annotations).containsKey(MillraceApi.SYNC_ANNOTATION);
            assertThat(
                            JSON.readTree(annotations.get(MillraceApi.SYNC_OPTIONS_ANNOTATION))
                                    .path("fullRefresh")
                                    .asBoolean())
                    .isTrue();
        }
        assertThat(
                        cluster.client
                                .resources(Connection.class)
                                .inNamespace(ApiTestCluster.NS)
                                .withName("leads-to-warehouse")
                                .get()
                                .getMetadata()
                                .getAnnotations())
                .doesNotContainKey(MillraceApi.SYNC_ANNOTATION);
    }

    @Test
    void aSecondSyncWhileTheFirstIsPendingIsAConflict() throws Exception {
        source("orders", synced(10));
        connection("orders-to-warehouse", "orders");
        assertThat(cluster.post("/api/sources/orders/sync", "{}").statusCode()).isEqualTo(200);

        HttpResponse<String> second = cluster.post("/api/sources/orders/sync", "{}");

        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(second.body()).path("detail").asText())
                .isEqualTo("Sync already in progress for orders");
    }

    @Test
    void syncingAnUnknownSourceIsNotFoundInTheDetailFormat() throws Exception {
        HttpResponse<String> response = cluster.post("/api/sources/nope/sync", "{}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).path("detail").asText())
                .isEqualTo("Source 'nope' not found");
    }

    @Test
    void malformedSyncBodiesAreRejectedAndRequestNothing() throws Exception {
        source("orders", synced(10));
        connection("orders-to-warehouse", "orders");

        for (String body :
                List.of(
                        "{",
                        "[]",
                        "\"x\"",
                        "{\"full_refresh\": \"yes\"}",
                        "{\"start_date\": \"yesterday\"}",
                        "{\"start_date\": 20240101}",
                        "{\"start_date\": \"2024-02-01\", \"end_date\": \"2024-01-01\"}")) {
            HttpResponse<String> response = cluster.post("/api/sources/orders/sync", body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("detail").asText())
                    .as(body)
                    .isNotBlank();
        }
        assertThat(
                        cluster.client
                                .resources(Connection.class)
                                .inNamespace(ApiTestCluster.NS)
                                .withName("orders-to-warehouse")
                                .get()
                                .getMetadata()
                                .getAnnotations())
                .doesNotContainKey(MillraceApi.SYNC_ANNOTATION);
    }

    @Test
    void aSourceWithoutConnectionsCannotBeSynced() throws Exception {
        source("orders", synced(10));

        HttpResponse<String> response = cluster.post("/api/sources/orders/sync", null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("detail").asText())
                .contains("no connection");
    }

    @Test
    void logsReturnTheNewestEntriesOfThatSourceOldestFirst() throws Exception {
        source("orders", null);
        Instant t0 = Instant.parse("2026-11-20T08:00:00Z");
        for (int i = 0; i < 5; i++) {
            cluster.store.appendLog(
                    new LogEntry(
                            t0.plusSeconds(i),
                            ApiTestCluster.NS,
                            "orders",
                            null,
                            i == 4 ? LogLevel.SUCCESS : LogLevel.INFO,
                            "step " + i));
        }
        cluster.store.appendLog(
                new LogEntry(t0, ApiTestCluster.NS, "leads", null, LogLevel.ERROR, "other source"));

        HttpResponse<String> response = cluster.get("/api/sources/orders/logs?limit=2");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode logs = JSON.readTree(response.body());
        assertThat(logs).hasSize(2);
        assertThat(logs.get(0).path("message").asText()).isEqualTo("step 3");
        assertThat(logs.get(1).path("message").asText()).isEqualTo("step 4");
        assertThat(logs.get(1).path("level").asText()).isEqualTo("SUCCESS");
        assertThat(logs.get(1).path("timestamp").asText()).isEqualTo("2026-11-20T08:00:04Z");
    }

    @Test
    void logsRejectAnOutOfRangeLimitAndAnUnknownSource() throws Exception {
        source("orders", null);

        for (String limit : List.of("0", "-1", "abc", "100001", "1.5")) {
            HttpResponse<String> response = cluster.get("/api/sources/orders/logs?limit=" + limit);
            assertThat(response.statusCode()).as(limit).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("detail").asText())
                    .as(limit)
                    .contains("limit");
        }
        assertThat(cluster.get("/api/sources/nope/logs").statusCode()).isEqualTo(404);
    }

    @Test
    void anUnknownPathIsNotFoundInTheDetailFormat() throws Exception {
        HttpResponse<String> response = cluster.get("/api/no-such-thing");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).has("detail")).isTrue();
    }
}
