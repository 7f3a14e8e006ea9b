package dev.millrace.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.millrace.crds.source.Source;
import dev.millrace.operator.local.EmbeddedKubernetes;
import dev.millrace.operator.runner.InProcessJobRunner;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale-out layout of the chart (store.type=postgresql): the operator and two API server
 * replicas as separate `java -jar millrace.jar` processes on one real PostgreSQL store, against a
 * Kubernetes API (the Fabric8 mock in CRUD mode on loopback, reached through a kubeconfig). They
 * are started at the same moment on an empty database, as a fresh install's pods are.
 *
 * <p>Nobody runs pods on the mock, so this JVM plays the Job controller and the kubelet with the
 * in-process Job runner of local mode: it runs each sync Job the operator process creates for real
 * (CSV files into DuckDB files) and writes Pod and Job status, which the operator reads back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SplitProcessesOnPostgresTest {
    static final String NS = Chart.NAMESPACE;
    static final String PUBLIC = "/api/public/v1";
    static final int CONNECTIONS = 4;
    static final int ROUNDS = 3;
    static final Duration WAIT = Duration.ofMinutes(3);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path tmp;
    static EmbeddedPostgres postgres;
    static EmbeddedKubernetes kube;
    static KubernetesClient client;
    static InProcessJobRunner runner;
    static MillraceProcess operator;
    static MillraceProcess apiA;
    static MillraceProcess apiB;
    static int operatorPort;
    static int apiPortA;
    static int apiPortB;
    static final HttpClient http = HttpClient.newHttpClient();
    static final List<String> connectionIds = new ArrayList<>();
    static final Map<String, Long> jobConnection = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        try (Connection admin = postgres.getPostgresDatabase().getConnection();
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE millrace");
        }
        kube = EmbeddedKubernetes.start(0, NS);
        client = kube.client();
        // What the chart creates in the release namespace: the sync pods' account and the claims
        // they mount.
        client.serviceAccounts()
                .inNamespace(NS)
                .resource(
                        new ServiceAccountBuilder()
                                .withNewMetadata()
                                .withName("millrace-sync")
                                .endMetadata()
                                .withAutomountServiceAccountToken(false)
                                .build())
                .create();
        for (String claim : List.of("millrace-data", "millrace-warehouse")) {
            client.persistentVolumeClaims()
                    .inNamespace(NS)
                    .resource(
                            new PersistentVolumeClaimBuilder()
                                    .withNewMetadata()
                                    .withName(claim)
                                    .endMetadata()
                                    .withNewSpec()
                                    .withAccessModes("ReadWriteMany")
                                    .withNewResources()
                                    .withRequests(Map.of("storage", new Quantity("1Gi")))
                                    .endResources()
                                    .endSpec()
                                    .build())
                    .create();
        }
        Path kubeconfig = tmp.resolve("kubeconfig");
        Files.writeString(
                kubeconfig,
                """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    namespace: %s
                    user: mock
                current-context: mock
                users:
                - name: mock
                  user: {}
                """
                        .formatted(kube.url(), NS));

        Path data = Files.createDirectories(tmp.resolve("data"));
        Path warehouse = Files.createDirectories(tmp.resolve("warehouse"));
        for (int i = 0; i < CONNECTIONS; i++) {
            Files.createDirectories(data.resolve("orders-" + i));
        }
        runner =
                new InProcessJobRunner(
                        client,
                        new InProcessJobRunner.Paths(data, warehouse, tmp.resolve("pod-logs")),
                        CONNECTIONS,
                        Clock.systemUTC());
        runner.start();

        // The chart's storeArgs and storeEnv: the URL in an argument, the credentials from the
        // Secret as MILLRACE_STORE_USER / MILLRACE_STORE_PASSWORD.
        Map<String, String> env =
                Map.of(
                        "KUBECONFIG",
                        kubeconfig.toString(),
                        "HOME",
                        tmp.toString(),
                        "MILLRACE_STORE_USER",
                        "postgres",
                        "MILLRACE_STORE_PASSWORD",
                        "unused-by-trust-auth");
        List<String> store =
                List.of(
                        "--store-url=jdbc:postgresql://127.0.0.1:"
                                + postgres.getPort()
                                + "/millrace",
                        "--data-root=" + data,
                        "--warehouse-root=" + warehouse);
        operatorPort = MillraceProcess.freePort();
        apiPortA = MillraceProcess.freePort();
        apiPortB = MillraceProcess.freePort();
        List<String> operatorArgs = new ArrayList<>(List.of("operator"));
        operatorArgs.addAll(store);
        operatorArgs.addAll(
                List.of(
                        "--sync-image=millrace:test",
                        "--job-service-account=millrace-sync",
                        "--data-claim=millrace-data",
                        "--warehouse-claim=millrace-warehouse",
                        "--progress-listen=127.0.0.1:0",
                        "--leader-election-namespace=" + NS,
                        "--leader-election-lease=millrace-operator",
                        "--metrics-listen=127.0.0.1:" + operatorPort));
        operator = MillraceProcess.start("operator", tmp, env, operatorArgs);
        apiA = MillraceProcess.start("api-a", tmp, env, apiArgs(apiPortA, store));
        apiB = MillraceProcess.start("api-b", tmp, env, apiArgs(apiPortB, store));

        await("the operator leads and its informers are ready")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> {
                            assertAlive();
                            var ready = getOrNull(MillraceProcess.local(operatorPort, "/readyz"));
                            return ready != null
                                    && ready.statusCode() == 200
                                    && ready.body().contains("leader");
                        });
        for (int port : List.of(apiPortA, apiPortB)) {
            await("the API on port " + port + " answers")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> {
                                assertAlive();
                                var status = getOrNull(MillraceProcess.local(port, "/api/status"));
                                return status != null && status.statusCode() == 200;
                            });
        }
    }

    static List<String> apiArgs(int port, List<String> store) {
        List<String> args = new ArrayList<>(List.of("api", "--bind=127.0.0.1"));
        args.add("--port=" + port);
        args.add("--api-namespace=" + NS);
        args.addAll(store);
        return args;
    }

    static int rows(int connection) {
        return 5 + connection * 3;
    }

    /**
     * A new file for every round: a file source loads each file once (its ledger is in the
     * destination), so each job has rows of its own to sync.
     */
    static void newFiles(int round) throws java.io.IOException {
        for (int i = 0; i < CONNECTIONS; i++) {
            StringBuilder csv = new StringBuilder("id,amount\n");
            for (int row = 1; row <= rows(i); row++) {
                csv.append(round * 1000 + row).append(',').append(row * 10).append('\n');
            }
            Files.writeString(
                    tmp.resolve("data").resolve("orders-" + i).resolve("part-" + round + ".csv"),
                    csv);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (MillraceProcess p : new MillraceProcess[] {apiA, apiB, operator}) {
            if (p != null) {
                p.close();
            }
        }
        if (runner != null) {
            runner.close();
        }
        if (kube != null) {
            kube.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void syncsRequestedConcurrentlyThroughTwoApiReplicasRunOnceEachWithDistinctJobIds()
            throws Exception {
        String workspace = client.namespaces().withName(NS).get().getMetadata().getUid();
        // Sources, destinations and connections made through both replicas, alternately.
        for (int i = 0; i < CONNECTIONS; i++) {
            int port = i % 2 == 0 ? apiPortA : apiPortB;
            JsonNode source =
                    ok(
                            post(
                                    port,
                                    PUBLIC + "/sources",
                                    Map.of(
                                            "name",
                                            "Orders " + i,
                                            "workspaceId",
                                            workspace,
                                            "configuration",
                                            Map.of(
                                                    "sourceType",
                                                    "csv",
                                                    "directory",
                                                    "orders-" + i))));
            JsonNode destination =
                    ok(
                            post(
                                    port,
                                    PUBLIC + "/destinations",
                                    Map.of(
                                            "name",
                                            "Warehouse " + i,
                                            "workspaceId",
                                            workspace,
                                            "configuration",
                                            Map.of(
                                                    "destinationType",
                                                    "duckdb",
                                                    "path",
                                                    "warehouse-" + i + ".duckdb"))));
            JsonNode connection =
                    ok(
                            post(
                                    port,
                                    PUBLIC + "/connections",
                                    Map.of(
                                            "name",
                                            "Orders " + i + " to warehouse",
                                            "sourceId",
                                            source.path("sourceId").asText(),
                                            "destinationId",
                                            destination.path("destinationId").asText())));
            connectionIds.add(connection.path("connectionId").asText());
        }

        ExecutorService callers = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                newFiles(round);
                // Every connection at once, half of them through each replica.
                List<Future<JsonNode>> posted = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    int port = (i + round) % 2 == 0 ? apiPortA : apiPortB;
                    String connectionId = connectionIds.get(i);
                    Callable<JsonNode> trigger =
                            () ->
                                    ok(
                                            post(
                                                    port,
                                                    PUBLIC + "/jobs",
                                                    Map.of(
                                                            "connectionId",
                                                            connectionId,
                                                            "jobType",
                                                            "sync")));
                    posted.add(callers.submit(trigger));
                }
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    JsonNode job = posted.get(i).get();
                    assertThat(job.path("status").asText()).isEqualTo("pending");
                    long id = job.path("jobId").asLong();
                    ids.add(id);
                    assertThat(jobConnection.put(connectionIds.get(i) + "#" + id, id)).isNull();
                }
                for (long id : ids) {
                    await("job " + id + " ends")
                            .atMost(WAIT)
                            .pollInterval(Duration.ofMillis(300))
                            .until(
                                    () -> {
                                        assertAlive();
                                        String status =
                                                ok(get(apiPortA, PUBLIC + "/jobs/" + id))
                                                        .path("status")
                                                        .asText();
                                        return !status.equals("pending")
                                                && !status.equals("running");
                                    });
                }
            }
        } finally {
            callers.shutdownNow();
        }

        List<Long> allIds = jobConnection.values().stream().sorted().toList();
        assertThat(allIds).hasSize(CONNECTIONS * ROUNDS).doesNotHaveDuplicates();

        // Both replicas list every job with its final status and rows.
        for (int port : List.of(apiPortA, apiPortB)) {
            JsonNode list = ok(get(port, PUBLIC + "/jobs?limit=100"));
            Map<Long, JsonNode> listed = new LinkedHashMap<>();
            list.path("data").forEach(j -> listed.put(j.path("jobId").asLong(), j));
            assertThat(listed.keySet()).containsExactlyInAnyOrderElementsOf(allIds);
            for (var entry : jobConnection.entrySet()) {
                String connectionId = entry.getKey().substring(0, entry.getKey().indexOf('#'));
                int index = connectionIds.indexOf(connectionId);
                JsonNode job = listed.get(entry.getValue());
                assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("succeeded");
                assertThat(job.path("connectionId").asText()).isEqualTo(connectionId);
                assertThat(job.path("rowsSynced").asLong()).isEqualTo(rows(index));
            }
        }

        // History straight from PostgreSQL: one execution and one attempt per job, no job twice.
        try (Connection db = postgres.getDatabase("postgres", "millrace").getConnection();
                Statement statement = db.createStatement()) {
            assertThat(
                            countsByJob(
                                    statement,
                                    "SELECT job_id, count(*) FROM pipeline_executions"
                                            + " GROUP BY job_id"))
                    .containsOnlyKeys(allIds)
                    .allSatisfy((job, count) -> assertThat(count).as("job " + job).isOne());
            assertThat(
                            countsByJob(
                                    statement,
                                    "SELECT job_id, count(*) FROM job_attempts GROUP BY job_id"))
                    .containsOnlyKeys(allIds)
                    .allSatisfy((job, count) -> assertThat(count).as("job " + job).isOne());
            assertThat(countsByJob(statement, "SELECT id, count(*) FROM jobs GROUP BY id"))
                    .containsOnlyKeys(allIds);
        }

        // Object ids allocated by three processes: every Source has one, no two the same.
        List<Long> sourceIds =
                client.resources(Source.class).inNamespace(NS).list().getItems().stream()
                        .map(s -> s.getStatus() == null ? null : s.getStatus().id)
                        .toList();
        assertThat(sourceIds).hasSize(CONNECTIONS).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    @Order(2)
    void connectorsCreatedAtOnceThroughBothReplicasGetDistinctIdsThatTheOperatorAgreesWith()
            throws Exception {
        int count = 6;
        ExecutorService callers = Executors.newFixedThreadPool(count);
        Map<String, Long> idByName = new LinkedHashMap<>();
        try {
            List<Future<JsonNode>> created = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int port = i % 2 == 0 ? apiPortA : apiPortB;
                // The store's own PostgreSQL, so the operator's connection test really connects.
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("connectorName", "Store DB " + i);
                body.put("connectorType", "RDBMS");
                body.put("connectorEngine", "postgres");
                body.put("connectorHost", "127.0.0.1");
                body.put("connectorPort", String.valueOf(postgres.getPort()));
                body.put("connectorDatabaseName", "millrace");
                body.put("connectorUsername", "postgres");
                body.put("connectorPassword", "secret-" + i);
                body.put("connectorAuthType", 2);
                created.add(
                        callers.submit(
                                () -> {
                                    var response = post(port, "/api/connector", body);
                                    assertThat(response.statusCode())
                                            .as(response.body())
                                            .isEqualTo(201);
                                    return JSON.readTree(response.body());
                                }));
            }
            for (int i = 0; i < count; i++) {
                idByName.put("store-db-" + i, created.get(i).get().path("connectorID").asLong());
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(idByName.values()).doesNotHaveDuplicates().allMatch(id -> id > 0);

        // The operator, a third process, registers the same uids and must arrive at the same ids.
        await("the operator reconciles every connector")
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(300))
                .until(
                        () -> {
                            assertAlive();
                            return idByName.keySet().stream()
                                    .map(
                                            name ->
                                                    client.resources(
                                                                    dev.millrace.crds.connector
                                                                            .Connector.class)
                                                            .inNamespace(NS)
                                                            .withName(name)
                                                            .get())
                                    .allMatch(
                                            c -> c.getStatus() != null && c.getStatus().id != null);
                        });
        for (var entry : idByName.entrySet()) {
            var connector =
                    client.resources(dev.millrace.crds.connector.Connector.class)
                            .inNamespace(NS)
                            .withName(entry.getKey())
                            .get();
            assertThat(connector.getStatus().id).as(entry.getKey()).isEqualTo(entry.getValue());
        }
        // Each replica lists all of them under those ids.
        for (int port : List.of(apiPortA, apiPortB)) {
            List<Long> listed = new ArrayList<>();
            ok(get(port, "/api/connector"))
                    .forEach(c -> listed.add(c.path("connectorID").asLong()));
            assertThat(listed).containsExactlyInAnyOrderElementsOf(idByName.values());
        }
    }

    @Test
    @Order(3)
    void bothProcessesStopCleanlyOnSigtermWithNoErrorsLogged() throws Exception {
        for (MillraceProcess p : List.of(apiA, apiB, operator)) {
            int exit = p.stop(Duration.ofSeconds(60));
            String output = p.output();
            assertThat(exit).as(p.name + " exit code; output:\n" + output).isEqualTo(143);
            List<String> problems =
                    output.lines()
                            .filter(
                                    l ->
                                            l.contains(" ERROR ")
                                                    || l.contains("Exception")
                                                    || l.startsWith("\tat "))
                            .collect(Collectors.toList());
            assertThat(problems).as(p.name + " output:\n" + output).isEmpty();
        }
        assertThat(operator.output()).contains("Millrace operator");
        assertThat(apiA.output()).contains("Millrace API");
    }

    static Map<Long, Long> countsByJob(Statement statement, String sql) throws Exception {
        Map<Long, Long> counts = new HashMap<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                counts.put(rows.getLong(1), rows.getLong(2));
            }
        }
        return counts;
    }

    static void assertAlive() {
        for (MillraceProcess p : List.of(operator, apiA, apiB)) {
            if (!p.isAlive()) {
                throw new AssertionError(p.name + " exited; output:\n" + p.output());
            }
        }
    }

    static HttpResponse<String> getOrNull(URI uri) {
        try {
            return http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null;
        }
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(MillraceProcess.local(port, path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(int port, String path, Object body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(MillraceProcess.local(port, path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode())
                .as(
                        response.request().method()
                                + " "
                                + response.request().uri()
                                + ": "
                                + response.body())
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
