package dev.millrace.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.millrace.crds.connection.Connection;
import dev.millrace.crds.connection.Schedule;
import dev.millrace.crds.source.Source;
import dev.millrace.crds.source.SourceSpec;
import dev.millrace.crds.source.SourceType;
import dev.millrace.crds.source.StripeSource;
import dev.millrace.store.log.LogEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stripe Source synced by the operator's own path: Connection, Job with the key as a
 * secretKeyRef, the in-process runner resolving it from the Secret, and a loopback server that
 * pages like Stripe's list API.
 */
class StripeSourceSyncTest {
    private static final String KEY = "sk_test_operator_51Hx";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @TempDir Path tmp;
    private OperatorHarness cluster;
    private HttpServer stripe;
    private final Map<String, List<ObjectNode>> lists = new ConcurrentHashMap<>();
    private final List<Map<String, String>> chargeRequests =
            Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        stripe = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stripe.createContext("/v1/", this::list);
        stripe.start();
        cluster = OperatorHarness.started(tmp);
        cluster.client
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("stripe-key")
                                .withNamespace(OperatorHarness.NS)
                                .endMetadata()
                                .addToStringData("api-key", KEY)
                                .build())
                .create();
        Source source = new Source();
        source.setMetadata(
                new ObjectMetaBuilder()
                        .withName("stripe-payments")
                        .withNamespace(OperatorHarness.NS)
                        .build());
        source.setSpec(new SourceSpec());
        source.getSpec().type = SourceType.STRIPE;
        source.getSpec().stripe = new StripeSource();
        source.getSpec().stripe.secretRef = new SecretKeySelector("api-key", "stripe-key", false);
        source.getSpec().stripe.endpoints = List.of("charges", "customers");
        source.getSpec().stripe.baseUrl =
                "http://127.0.0.1:" + stripe.getAddress().getPort() + "/v1";
        cluster.client.resource(source).create();
        cluster.warehouse("warehouse");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
        stripe.stop(0);
    }

    private void object(String list, String id, long created) {
        ObjectNode object = JSON.createObjectNode();
        object.put("id", id);
        object.put("created", created);
        object.put("amount", created % 1000);
        object.putObject("metadata").put("source", "test");
        lists.computeIfAbsent(list, key -> Collections.synchronizedList(new ArrayList<>()))
                .add(object);
    }

    @Test
    void aStripeSourceSyncsIncrementallyThroughAConnection() throws Exception {
        for (int i = 1; i <= 120; i++) {
            object("charges", String.format("ch_%04d", i), 1_700_000_000L + i);
        }
        for (int i = 1; i <= 4; i++) {
            object("customers", "cus_" + i, 1_690_000_000L + i);
        }
        cluster.connection("stripe-to-wh", "stripe-payments", "warehouse", Schedule.manual());
        cluster.requestSync("stripe-to-wh", "first");

        Connection first = cluster.awaitLastJob("stripe-to-wh", "succeeded");

        assertThat(cluster.warehouseCount("select count(*) from raw_stripe_payments.charges"))
                .isEqualTo(120);
        assertThat(cluster.warehouseCount("select count(*) from raw_stripe_payments.customers"))
                .isEqualTo(4);
        assertThat(first.getStatus().lastJob.rowsSynced).isEqualTo(124);
        // Two pages of charges: 100, then 20 after starting_after.
        assertThat(chargeRequests).hasSize(2);
        assertThat(chargeRequests.get(1)).containsEntry("starting_after", "ch_0021");

        Job job = cluster.jobsOf("stripe-to-wh").get(0);
        var env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(env)
                .filteredOn(var -> var.getName().equals("MILLRACE_SOURCE_SECRET"))
                .singleElement()
                .satisfies(
                        var -> {
                            assertThat(var.getValue()).isNull();
                            assertThat(var.getValueFrom().getSecretKeyRef().getName())
                                    .isEqualTo("stripe-key");
                        });
        assertThat(JSON.writeValueAsString(job)).doesNotContain(KEY);

        for (int i = 121; i <= 125; i++) {
            object("charges", String.format("ch_%04d", i), 1_700_000_000L + i);
        }
        chargeRequests.clear();
        cluster.requestSync("stripe-to-wh", "second");
        Connection second =
                cluster.awaitLastJob("stripe-to-wh", "succeeded", first.getStatus().lastJob.id);

        assertThat(cluster.jobsOf("stripe-to-wh")).hasSize(2);
        assertThat(chargeRequests)
                .singleElement()
                .satisfies(
                        params -> assertThat(params).containsEntry("created[gte]", "1700000120"));
        assertThat(cluster.warehouseCount("select count(*) from raw_stripe_payments.charges"))
                .isEqualTo(125);
        assertThat(cluster.store.logs(OperatorHarness.NS, "stripe-payments", 100))
                .extracting(LogEntry::message)
                .noneMatch(message -> message.contains(KEY));
    }

    private void list(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = exchange.getRequestURI().getPath().substring("/v1/".length());
            Map<String, String> params = new HashMap<>();
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null) {
                for (String pair : query.split("&")) {
                    String[] kv = pair.split("=", 2);
                    params.put(
                            URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                            kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
                }
            }
            if (name.equals("charges")) {
                chargeRequests.add(params);
            }
            if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"error\":{\"message\":\"Invalid API Key provided\"}}");
                return;
            }
            List<ObjectNode> records = new ArrayList<>(lists.getOrDefault(name, List.of()));
            records.sort(
                    Comparator.comparingLong((ObjectNode r) -> r.get("created").asLong())
                            .reversed());
            if (params.containsKey("created[gte]")) {
                long since = Long.parseLong(params.get("created[gte]"));
                records.removeIf(r -> r.get("created").asLong() < since);
            }
            int start = 0;
            for (int i = 0; i < records.size(); i++) {
                if (records.get(i).get("id").asText().equals(params.get("starting_after"))) {
                    start = i + 1;
                }
            }
            int end =
                    Math.min(
                            records.size(),
                            start + Integer.parseInt(params.getOrDefault("limit", "10")));
            ObjectNode page = JSON.createObjectNode();
            page.put("object", "list");
            ArrayNode data = page.putArray("data");
            records.subList(start, end).forEach(data::add);
            page.put("has_more", end < records.size());
            send(exchange, 200, page.toString());
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
