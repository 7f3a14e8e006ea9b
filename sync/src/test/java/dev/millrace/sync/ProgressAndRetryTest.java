package dev.millrace.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.millrace.sync.result.SyncResult;
import dev.millrace.sync.result.SyncStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running sync reports its progress over HTTP; a failed one says whether to retry it. */
class ProgressAndRetryTest {

    private static final String PLAN =
            """
            {
              "jobId": 31,
              "namespace": "default",
              "connection": "orders-to-warehouse",
              "source": {"name": "orders", "type": "csv",
                         "files": {"directory": "orders", "glob": "*.csv", "delimiter": ",", "header": true}},
              "destination": {"name": "warehouse", "type": "duckdb", "duckdb": {"path": "warehouse.duckdb"}, "schema": "raw_orders"},
              "streams": [{"name": "orders", "syncMode": "%s", "cursorField": null, "primaryKey": [], "glob": null}],
              "fullRefresh": false,
              "allowEmptyReplace": false
            }
            """;

    @TempDir Path tempDir;
    private SyncFixture fixture;
    private HttpServer operator;
    private final List<Received> reports = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private record Received(String authorization, JsonNode body) {}

    @BeforeEach
    void setUp() throws Exception {
        fixture = new SyncFixture(tempDir);
        operator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        operator.createContext(
                "/progress/31/1",
                exchange -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    reports.add(
                            new Received(
                                    exchange.getRequestHeaders().getFirst("Authorization"),
                                    new ObjectMapper().readTree(body)));
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        operator.start();
    }

    @AfterEach
    void tearDown() {
        operator.stop(0);
    }

    private Map<String, String> env(String syncMode) {
        Map<String, String> env = new HashMap<>();
        env.put("MILLRACE_DATA_ROOT", fixture.dataRoot.toString());
        env.put("MILLRACE_WAREHOUSE_ROOT", fixture.warehouseRoot.toString());
        env.put("MILLRACE_TERMINATION_LOG", tempDir.resolve("termination-log").toString());
        env.put("MILLRACE_SYNC_PLAN", PLAN.formatted(syncMode));
        env.put(
                ProgressReporter.URL_ENV,
                "http://127.0.0.1:" + operator.getAddress().getPort() + "/progress/31/1");
        env.put(ProgressReporter.TOKEN_ENV, "attempt-token");
        env.put(ProgressReporter.INTERVAL_ENV, "100");
        return env;
    }

    private SyncResult run(Map<String, String> env) {
        SyncMain.run(new String[0], env, new PrintStream(output, true, StandardCharsets.UTF_8));
        List<String> lines = output.toString(StandardCharsets.UTF_8).lines().toList();
        return SyncResult.fromJson(lines.get(lines.size() - 1));
    }

    @Test
    void aLongSyncPostsItsStreamAndGrowingCountsWithTheAttemptsToken() throws Exception {
        fixture.writeLargeCsv("orders-1.csv", 1_500_000);

        SyncResult result = run(env("full_refresh_overwrite"));

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(reports).isNotEmpty();
        assertThat(reports).allMatch(r -> "Bearer attempt-token".equals(r.authorization()));
        // Before the first stream begins (opening the database) a report names no stream yet.
        assertThat(reports)
                .filteredOn(r -> !r.body().path("stream").isNull())
                .isNotEmpty()
                .allMatch(r -> "orders".equals(r.body().path("stream").asText()));
        JsonNode last = reports.get(reports.size() - 1).body();
        assertThat(last.path("bytes").asLong()).isPositive();
        assertThat(last.path("rows").asLong()).isBetween(1L, 1_500_000L);
        assertThat(last.path("at").asText()).isNotBlank();
        assertThat(output.toString(StandardCharsets.UTF_8)).doesNotContain("attempt-token");
    }

    @Test
    void anOperatorThatCannotBeReachedDoesNotFailTheSync() throws Exception {
        fixture.writeLargeCsv("orders-1.csv", 300_000);
        Map<String, String> env = env("full_refresh_overwrite");
        operator.stop(0);

        SyncResult result = run(env);

        assertThat(result.status()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("progress report to")
                .doesNotContain("attempt-token");
    }

    @Test
    void aDatabaseErrorIsRetryable() throws Exception {
        fixture.writeCsv("orders-1.csv", "order_id,amount", "1,10", "2,20,extra");

        SyncResult result = run(env("incremental_append"));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.retryable()).isTrue();
    }

    @Test
    void emptyReplaceProtectionIsNotRetryable() throws Exception {
        fixture.writeCsv("orders-1.csv", "order_id,amount", "1,10");
        assertThat(run(env("incremental_append")).status()).isEqualTo(SyncStatus.SUCCEEDED);
        fixture.delete("orders-1.csv");
        fixture.writeCsv("orders-2.csv", "order_id,amount");
        output.reset();

        SyncResult result = run(env("full_refresh_overwrite"));

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error()).contains("allowEmptyReplace");
        assertThat(result.retryable()).isFalse();
    }

    @Test
    void anInvalidPlanIsNotRetryable() {
        Map<String, String> env = env("sideways");

        SyncResult result = run(env);

        assertThat(result.status()).isEqualTo(SyncStatus.FAILED);
        assertThat(result.error()).startsWith("invalid plan");
        assertThat(result.retryable()).isFalse();
    }
}
