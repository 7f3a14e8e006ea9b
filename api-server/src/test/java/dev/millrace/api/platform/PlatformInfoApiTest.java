package dev.millrace.api.platform;

import static dev.millrace.api.platform.PlatformFixtures.csvSource;
import static dev.millrace.api.platform.PlatformFixtures.synced;
import static dev.millrace.api.platform.PlatformFixtures.withStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.api.ApiTestCluster;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.destination.Destination;
import dev.millrace.crds.destination.DestinationSpec;
import dev.millrace.crds.destination.DestinationType;
import dev.millrace.crds.model.Model;
import dev.millrace.crds.model.ModelSpec;
import dev.millrace.crds.model.ModelStatus;
import dev.millrace.crds.source.SourceStatus;
import dev.millrace.store.job.JobRecord;
import dev.millrace.store.job.JobRequest;
import dev.millrace.store.job.JobStatus;
import dev.millrace.store.job.JobType;
import dev.millrace.store.log.LogEntry;
import dev.millrace.store.log.LogLevel;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformInfoApiTest {
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

    private JsonNode ok(String path) throws Exception {
        HttpResponse<String> response = cluster.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private void model(
            String name,
            String schema,
            String sql,
            List<String> dependsOn,
            ModelStatus.Phase phase) {
        Model m = new Model();
        m.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(ApiTestCluster.NS).build());
        m.setSpec(new ModelSpec());
        m.getSpec().schema = schema;
        m.getSpec().sql = sql;
        m.getSpec().dependsOn = dependsOn;
        m.getSpec().destinationRef = ObjectRef.to("warehouse");
        m.getSpec().description = "Model " + name;
        m.getSpec().materialization = ModelSpec.Materialization.TABLE;
        Model created = cluster.client.resource(m).create();
        if (phase != null) {
            created.setStatus(new ModelStatus());
            created.getStatus().status = phase;
            created.getStatus().lastError =
                    phase == ModelStatus.Phase.ERROR ? "syntax error" : null;
            cluster.client.resource(created).updateStatus();
        }
    }

    private JobRecord job(String source, String key, JobStatus end, long rows, String error) {
        JobRecord job =
                cluster.store.allocateJob(
                        new JobRequest(
                                ApiTestCluster.NS,
                                source + "-to-warehouse",
                                "uid-" + source,
                                source,
                                key,
                                JobType.SYNC,
                                false));
        Instant started = Instant.now().minusSeconds(60);
        cluster.store.markRunning(job.id(), started);
        cluster.store.complete(job.id(), end, started.plusSeconds(45), rows, 0, error, null);
        return job;
    }

    @Test
    void platformHealthMeasuresTheWarehouseTablesDiskAndFailures() throws Exception {
        Destination d = new Destination();
        d.setMetadata(
                new ObjectMetaBuilder()
                        .withName("warehouse")
                        .withNamespace(ApiTestCluster.NS)
                        .build());
        d.setSpec(new DestinationSpec());
        d.getSpec().type = DestinationType.DUCKDB;
        d.getSpec().path = "lake/warehouse.duckdb";
        cluster.client.resource(d).create();
        Files.createDirectories(tmp.resolve("lake"));
        Files.write(tmp.resolve("lake/warehouse.duckdb"), new byte[3 * 1024 * 1024]);
        withStatus(cluster, csvSource(cluster, "orders", "orders"), synced(10));
        SourceStatus failed = synced(5);
        failed.status = SourceStatus.Phase.FAILED;
        failed.lastError = "boom";
        withStatus(cluster, csvSource(cluster, "leads", "leads"), failed);
        model("stg_orders", "staging", "select 1", List.of(), ModelStatus.Phase.SUCCESS);
        model("order_metrics", "marts", "select 1", List.of(), ModelStatus.Phase.ERROR);
        job("leads", "k1", JobStatus.FAILED, 0, "file is malformed");
        job("orders", "k2", JobStatus.SUCCEEDED, 10, null);

        JsonNode body = ok("/api/health/platform");

        assertThat(body.path("status").asText()).isEqualTo("critical");
        assertThat(Instant.parse(body.path("timestamp").asText())).isNotNull();
        JsonNode db = body.path("database");
        assertThat(db.path("size_mb").asDouble()).isEqualTo(3.0);
        assertThat(db.path("status").asText()).isEqualTo("small");
        assertThat(db.path("raw_tables").asInt()).isEqualTo(2);
        assertThat(db.path("staging_tables").asInt()).isEqualTo(1);
        assertThat(db.path("marts_tables").asInt()).isEqualTo(1);
        assertThat(db.path("tables").asInt()).isEqualTo(4);
        var store = Files.getFileStore(tmp);
        assertThat(body.path("disk").path("total_gb").asDouble())
                .isCloseTo(
                        store.getTotalSpace() / 1073741824.0,
                        org.assertj.core.data.Offset.offset(0.1));
        assertThat(body.path("disk").path("status").asText()).isIn("ok", "warning", "critical");
        assertThat(body.path("sync_failures")).hasSize(1);
        assertThat(body.path("sync_failures").get(0).path("source").asText()).isEqualTo("leads");
        assertThat(body.path("sync_failures").get(0).path("error").asText())
                .isEqualTo("file is malformed");
        assertThat(body.path("dbt_failures")).hasSize(1);
        assertThat(body.path("dbt_failures").get(0).path("model").asText())
                .isEqualTo("order_metrics");
        assertThat(body.path("total_sources").asInt()).isEqualTo(2);
        assertThat(body.path("enabled_sources").asInt()).isEqualTo(2);
        assertThat(body.path("critical_issues").toString())
                .contains("Source 'leads' failed its last sync: boom");
        assertThat(body.path("warnings").toString())
                .contains("1 sync failure(s)")
                .contains("order_metrics");
    }

    @Test
    void anEmptyNamespaceIsHealthyWithZeroCounts() throws Exception {
        JsonNode body = ok("/api/health/platform");

        JsonNode db = body.path("database");
        assertThat(db.path("size_mb").asDouble()).isZero();
        assertThat(db.path("tables").asInt()).isZero();
        assertThat(body.path("sync_failures")).isEmpty();
        assertThat(body.path("total_sources").asInt()).isZero();
        assertThat(body.path("critical_issues").size())
                .isEqualTo(body.path("disk").path("status").asText().equals("critical") ? 1 : 0);
    }

    @Test
    void configAndMetabaseConfigDescribeTheServer() throws Exception {
        JsonNode config = ok("/api/config");
        int port = cluster.server.port();
        assertThat(config.path("web_port").asInt()).isEqualTo(port);
        assertThat(config.path("web_url").asText()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(config.path("api_url").asText()).isEqualTo("http://127.0.0.1:" + port + "/api");
        assertThat(config.path("project_name").asText()).isEqualTo(ApiTestCluster.NS);
        assertThat(config.path("metabase_url").isNull()).isTrue();
        assertThat(config.path("dbt_docs_url").isNull()).isTrue();
        assertThat(config.has("organization")).isTrue();

        JsonNode metabase = ok("/api/metabase-config");
        assertThat(metabase.path("configured").asBoolean()).isFalse();
        assertThat(metabase.path("database_id").isNull()).isTrue();
    }

    @Test
    void watcherStatusTellsWhatTheFileWatcherWatches() throws Exception {
        Files.createDirectories(tmp.resolve("files/orders"));
        csvSource(cluster, "orders", "orders");

        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(ok("/api/watcher/status").path("watch_directories"))
                                        .hasSize(1));
        JsonNode body = ok("/api/watcher/status");
        assertThat(body.path("running").asBoolean()).isTrue();
        assertThat(body.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(body.path("auto_sync_enabled").asBoolean()).isTrue();
        assertThat(body.path("auto_dbt_enabled").asBoolean()).isFalse();
        assertThat(body.path("debounce_seconds").asLong()).isEqualTo(600);
        assertThat(body.path("watch_patterns").get(0).asText()).isEqualTo("*.csv");
        assertThat(body.path("watch_directories").get(0).asText())
                .isEqualTo(tmp.resolve("files/orders").toAbsolutePath().toString());
    }

    @Test
    void sourceDetailsShowTheSpecHistoryRowsAndTables() throws Exception {
        withStatus(cluster, csvSource(cluster, "orders", "orders"), synced(1523));
        job("orders", "k1", JobStatus.SUCCEEDED, 1523, null);
        job("orders", "k2", JobStatus.FAILED, 0, "bad row");
        job("leads", "k3", JobStatus.SUCCEEDED, 9, null);

        JsonNode body = ok("/api/sources/orders/details");

        assertThat(body.path("name").asText()).isEqualTo("orders");
        JsonNode config = body.path("config");
        assertThat(config.path("name").asText()).isEqualTo("orders");
        assertThat(config.path("type").asText()).isEqualTo("csv");
        assertThat(config.path("enabled").asBoolean()).isTrue();
        assertThat(config.path("files").path("directory").asText()).isEqualTo("orders");
        JsonNode history = body.path("history");
        assertThat(history).hasSize(2);
        assertThat(history.get(0).path("status").asText()).isEqualTo("failed");
        JsonNode success = history.get(1);
        assertThat(success.path("status").asText()).isEqualTo("success");
        assertThat(success.path("duration_seconds").asLong()).isEqualTo(45);
        assertThat(success.path("rows_processed").asLong()).isEqualTo(1523);
        assertThat(success.path("full_refresh").asBoolean()).isFalse();
        assertThat(Instant.parse(success.path("timestamp").asText())).isNotNull();
        assertThat(body.path("row_count").asLong()).isEqualTo(1523);
        assertThat(body.path("tables").get(0).path("schema").asText()).isEqualTo("raw_orders");
    }

    @Test
    void detailsOfAnUnknownOrMalformedSourceAreNotFound() throws Exception {
        for (String name : List.of("nope", "..%2F..%2Fetc%2Fpasswd", "x".repeat(300), "UPPER")) {
            HttpResponse<String> response = cluster.get("/api/sources/" + name + "/details");
            assertThat(response.statusCode()).as(name).isEqualTo(404);
            assertThat(JSON.readTree(response.body()).path("detail").asText())
                    .as(name)
                    .isNotBlank();
        }
    }

    @Test
    void dbtModelsListModelsWithDependenciesFromSpecAndSql() throws Exception {
        model(
                "stg_charges",
                "staging",
                "select * from raw_stripe.charges",
                List.of(),
                ModelStatus.Phase.SUCCESS);
        model(
                "customer_metrics",
                "marts",
                "select * from {{ ref('stg_charges') }} join {{ref(\"stg_customers\")}} using (id)",
                List.of("stg_customers", "calendar"),
                null);

        JsonNode models = ok("/api/dbt/models").path("models");

        assertThat(models).hasSize(2);
        JsonNode metrics = models.get(0);
        assertThat(metrics.path("name").asText()).isEqualTo("customer_metrics");
        assertThat(metrics.path("description").asText()).isEqualTo("Model customer_metrics");
        assertThat(metrics.path("database").asText()).isEqualTo("warehouse");
        assertThat(metrics.path("schema").asText()).isEqualTo("marts");
        assertThat(JSON.convertValue(metrics.path("depends_on"), List.class))
                .containsExactly("stg_customers", "calendar", "stg_charges");
        assertThat(metrics.path("materialization").asText()).isEqualTo("table");
        assertThat(metrics.path("status").asText()).isEqualTo("not_run");
        assertThat(models.get(1).path("status").asText()).isEqualTo("success");
        assertThat(metrics.path("last_run").isNull()).isTrue();
        assertThat(metrics.path("row_count").isNull()).isTrue();
    }

    @Test
    void logsReturnTheNewestEntriesOfAllSourcesWithinTheLimit() throws Exception {
        Instant t0 = Instant.parse("2026-11-20T08:00:00Z");
        cluster.store.appendLog(
                new LogEntry(t0, ApiTestCluster.NS, "orders", null, LogLevel.INFO, "a"));
        cluster.store.appendLog(
                new LogEntry(
                        t0.plusSeconds(1), ApiTestCluster.NS, "leads", null, LogLevel.ERROR, "b"));
        cluster.store.appendLog(
                new LogEntry(
                        t0.plusSeconds(2), ApiTestCluster.NS, null, null, LogLevel.SUCCESS, "c"));
        cluster.store.appendLog(
                new LogEntry(t0, "elsewhere", "orders", null, LogLevel.INFO, "other namespace"));

        JsonNode all = ok("/api/logs");
        assertThat(all).hasSize(3);
        assertThat(all.get(2).path("message").asText()).isEqualTo("c");
        assertThat(all.get(2).path("level").asText()).isEqualTo("SUCCESS");
        assertThat(all.get(0).path("timestamp").asText()).isEqualTo("2026-11-20T08:00:00Z");
        JsonNode two = ok("/api/logs?limit=2");
        assertThat(two).hasSize(2);
        assertThat(two.get(0).path("message").asText()).isEqualTo("b");

        for (String limit : List.of("0", "10001", "-5", "ten", "1e3", "99999999999")) {
            HttpResponse<String> response = cluster.get("/api/logs?limit=" + limit);
            assertThat(response.statusCode()).as(limit).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("detail").asText())
                    .as(limit)
                    .contains("limit");
        }
    }
}
