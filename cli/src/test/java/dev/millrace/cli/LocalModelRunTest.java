package dev.millrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.cli.local.LocalMode;
import dev.millrace.crds.common.ObjectRef;
import dev.millrace.crds.model.Model;
import dev.millrace.crds.model.ModelSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model run end to end in `millrace local`: the REST request, the operator's Job, the in-process
 * runner building the table in the warehouse, the model list and the WebSocket events.
 */
class LocalModelRunTest {
    private static final long EXAMPLE_ROWS = 3871;
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();

    @TempDir Path dataDir;

    @Test
    void postRunBuildsTheModelInTheWarehouseAndAnnouncesItOverTheWebSocket() throws Exception {
        Path warehouse;
        long countries;
        try (LocalMode local =
                new LocalMode(
                                new LocalMode.Options(
                                        dataDir, "127.0.0.1", 0, 0, "default", true, 2, "test"))
                        .start()) {
            warehouse = local.warehouse();
            await().atMost(WAIT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () ->
                                    get(local, "/api/sources").get(0).path("row_count").asLong()
                                            == EXAMPLE_ROWS);
            Model model = new Model();
            model.setMetadata(
                    new ObjectMetaBuilder()
                            .withName("orders-per-country")
                            .withNamespace("default")
                            .build());
            model.setSpec(new ModelSpec());
            model.getSpec().sql =
                    "select country, count(*) as orders from raw_orders.orders group by country";
            model.getSpec().materialization = ModelSpec.Materialization.TABLE;
            model.getSpec().destinationRef = ObjectRef.to(warehouseDestination(local));
            local.kubernetes().client().resource(model).create();
            WebSocket socket = listen(local);

            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    local.apiUrl()
                                                            + "/api/dbt/models/orders-per-country/run"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).path("message").asText())
                    .isEqualTo("dbt model 'orders-per-country' run started");
            await().atMost(WAIT)
                    .until(
                            () ->
                                    received.stream()
                                            .anyMatch(
                                                    m ->
                                                            m.path("event")
                                                                    .asText()
                                                                    .equals("dbt_run_completed")));
            assertThat(received)
                    .extracting(m -> m.path("event").asText())
                    .containsSubsequence("dbt_run_started", "dbt_run_completed");
            assertThat(received)
                    .filteredOn(m -> m.path("event").asText().startsWith("dbt_run"))
                    .allSatisfy(
                            m ->
                                    assertThat(m.path("model").asText())
                                            .isEqualTo("orders-per-country"));
            JsonNode listed = get(local, "/api/dbt/models").path("models").get(0);
            assertThat(listed.path("status").asText()).isEqualTo("success");
            assertThat(listed.path("last_run").asText()).isNotBlank();
            countries = listed.path("row_count").asLong();
            assertThat(countries).isPositive();
            socket.abort();
        }
        assertThat(sum(warehouse, "select sum(orders) from marts.orders_per_country"))
                .isEqualTo(EXAMPLE_ROWS);
        assertThat(sum(warehouse, "select count(*) from marts.orders_per_country"))
                .isEqualTo(countries);
    }

    private String warehouseDestination(LocalMode local) {
        return local.kubernetes()
                .client()
                .resources(dev.millrace.crds.destination.Destination.class)
                .inNamespace("default")
                .list()
                .getItems()
                .get(0)
                .getMetadata()
                .getName();
    }

    private JsonNode get(LocalMode local, String path) throws Exception {
        return JSON.readTree(
                http.send(
                                HttpRequest.newBuilder(URI.create(local.apiUrl() + path)).build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
    }

    private WebSocket listen(LocalMode local) throws Exception {
        return http.newWebSocketBuilder()
                .buildAsync(
                        URI.create(local.apiUrl().replace("http", "ws") + "/ws"),
                        new WebSocket.Listener() {
                            private final StringBuilder text = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(
                                    WebSocket ws, CharSequence data, boolean last) {
                                text.append(data);
                                if (last) {
                                    try {
                                        received.add(JSON.readTree(text.toString()));
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                    text.setLength(0);
                                }
                                ws.request(1);
                                return null;
                            }
                        })
                .get();
    }

    private static long sum(Path warehouse, String sql) throws Exception {
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (var conn = DriverManager.getConnection("jdbc:duckdb:" + warehouse, readOnly);
                ResultSet rs = conn.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
